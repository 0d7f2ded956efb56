using Aspire.Hosting.ApplicationModel;

namespace BeneficialRL.AppHost.Terminal;

/// <summary>
/// Copies resources' console logs (which the Aspire dashboard shows) to the terminal, each line prefixed with its
/// resource's name: <c>--show-logs</c>, for runs without a browser.
/// </summary>
public static class ResourceLogEcho
{
    /// <summary>Starts copying the logs of <paramref name="resources"/> until <paramref name="stopping"/>.</summary>
    public static IReadOnlyList<Task> Start(ResourceLoggerService logs, IEnumerable<IResource> resources, ResourceConsole console, CancellationToken stopping) =>
        [.. resources.Select(resource => Task.Run(async () =>
        {
            try
            {
                await foreach (var batch in logs.WatchAsync(resource).WithCancellation(stopping).ConfigureAwait(false))
                {
                    foreach (var line in batch)
                    {
                        console.Line(resource.Name, line.Content);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // The run is stopping.
            }
        }, CancellationToken.None))];
}
