using BeneficialRL.AppHost.Terminal;
using BeneficialRL.LocalInfrastructure;

namespace BeneficialRL.AppHost.Resources;

/// <summary>Azurite, the Azure Storage emulator: installed from npm on first use, persisted under a data folder.</summary>
public sealed class AzuriteResource : IAppHostResource
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    // Blob, queue and table: each logs "... service successfully closed" once its data is saved.
    private const int ServiceCount = 3;

    private AzuriteServer? _server;
    private int _closedServices;
    private readonly TaskCompletionSource _allClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal AzuriteResource(string name, string? dataDirectory)
    {
        Name = name;
        DataDirectory = dataDirectory;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Where Azurite keeps its data; <see langword="null"/>: in memory.</summary>
    public string? DataDirectory { get; }

    /// <summary>The dev-account connection string, once started.</summary>
    public string ConnectionString => _server?.ConnectionString ?? throw NotStarted();

    /// <inheritdoc />
    public Task<int?> WaitForExitAsync() => ProcessExit.WaitAsync(ProcessId ?? throw new InvalidOperationException($"Resource '{Name}' has not been started."));

    /// <inheritdoc />
    public int? ProcessId => _server?.ProcessId;

    /// <inheritdoc />
    public async Task StartAsync(ResourceConsole console, CancellationToken cancellationToken)
    {
        _server = await AzuriteServer.StartAsync(
            new AzuriteServerOptions { DataDirectory = DataDirectory, Log = line => Observe(console, line) },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task StopAsync()
    {
        if (_server is null)
        {
            return;
        }

        // SIGTERM first: Azurite saves its metadata database when its services close; disposing afterwards only kills
        // what is left. A terminal's Ctrl+C may already have closed them, and Azurite then lingers without exiting:
        // once every service reports closed there is nothing left to wait for.
        if (!_allClosed.Task.IsCompleted && ProcessSignals.Terminate(_server.ProcessId))
        {
            await Task.WhenAny(_allClosed.Task, ProcessExit.WaitAsync(_server.ProcessId), Task.Delay(StopGrace)).ConfigureAwait(false);
        }

        await _server.DisposeAsync().ConfigureAwait(false);
        _server = null;
    }

    private void Observe(ResourceConsole console, string line)
    {
        console.Line(Name, line);
        if (line.Contains("service successfully closed", StringComparison.Ordinal) && Interlocked.Increment(ref _closedServices) >= ServiceCount)
        {
            _allClosed.TrySetResult();
        }
    }

    private InvalidOperationException NotStarted() => new($"Resource '{Name}' has not been started.");
}
