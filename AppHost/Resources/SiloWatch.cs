using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using BeneficialRL.AppHost.Terminal;
using Microsoft.Extensions.Hosting;

namespace BeneficialRL.AppHost.Resources;

/// <summary>
/// Stops the run when a silo dies on its own: the main job's user watches a terminal, not the dashboard, and a stack
/// without its silo cannot finish the experiment.
/// </summary>
public sealed class SiloWatch(ResourceNotificationService notifications, IHostApplicationLifetime lifetime, ResourceConsole console)
{
    private volatile string? _failure;

    /// <summary>Why the run was stopped, or <see langword="null"/> when no silo died.</summary>
    public string? Failure => _failure;

    /// <summary>Watches <paramref name="siloNames"/> until the application stops.</summary>
    public async Task WatchAsync(IReadOnlyCollection<string> siloNames)
    {
        var stopping = lifetime.ApplicationStopping;
        try
        {
            await foreach (var update in notifications.WatchAsync(stopping).ConfigureAwait(false))
            {
                if (!siloNames.Contains(update.Resource.Name) || stopping.IsCancellationRequested || !KnownResourceStates.TerminalStates.Contains(update.Snapshot.State?.Text))
                {
                    continue;
                }

                var exitCode = update.Snapshot.ExitCode is { } code ? code.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown";
                _failure = $"{update.Resource.Name} exited unexpectedly with exit code {exitCode} ({update.Snapshot.State?.Text})";
                console.Error($"{_failure}; stopping the other resources.");
                lifetime.StopApplication();
                return;
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The run is stopping anyway.
        }
    }
}
