using BeneficialRL.AppHost.Terminal;

namespace BeneficialRL.AppHost.Resources;

/// <summary>One thing the AppHost starts, watches and stops.</summary>
public interface IAppHostResource
{
    /// <summary>Name used as the log prefix.</summary>
    string Name { get; }

    /// <summary>The main process id once started, or <see langword="null"/>.</summary>
    int? ProcessId { get; }

    /// <summary>Completes when the resource's main process ends, with its exit code when known; only valid once started.</summary>
    Task<int?> WaitForExitAsync();

    /// <summary>Starts the resource and returns once it answers.</summary>
    Task StartAsync(ResourceConsole console, CancellationToken cancellationToken);

    /// <summary>Stops the resource and every process it started; safe to call when it never started.</summary>
    Task StopAsync();
}
