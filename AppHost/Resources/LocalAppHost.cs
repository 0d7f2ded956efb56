using System.Runtime.InteropServices;
using BeneficialRL.AppHost.Silos;
using BeneficialRL.AppHost.Terminal;

namespace BeneficialRL.AppHost.Resources;

/// <summary>
/// The resource graph of one local run, in the manner of an Aspire <c>DistributedApplication</c>: resources are
/// declared first, then started in declaration order, watched, and stopped in reverse order on Ctrl+C, SIGTERM or
/// when a child dies.
/// </summary>
public sealed class LocalAppHost : IAsyncDisposable
{
    // A terminal's Ctrl+C reaches every child of the foreground process group at the same moment as the AppHost:
    // a child that exits within this window is taken as stopping on that signal, not as crashing.
    private static readonly TimeSpan SignalRaceWindow = TimeSpan.FromMilliseconds(750);

    private readonly ResourceConsole _console;
    private readonly string _siloHostDll;
    private readonly List<IAppHostResource> _resources = [];
    private readonly CancellationTokenSource _shutdown = new();
    private readonly List<PosixSignalRegistration> _signals = [];
    private volatile string? _failure;
    private int _stopped;

    /// <summary>Creates an empty graph whose silos run <paramref name="siloHostDll"/>; listens for SIGINT and SIGTERM.</summary>
    public LocalAppHost(ResourceConsole console, string siloHostDll)
    {
        _console = console;
        _siloHostDll = siloHostDll;
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            _signals.Add(PosixSignalRegistration.Create(signal, context =>
            {
                // Handled here: the process must outlive the signal long enough to stop its children.
                context.Cancel = true;
                RequestShutdown($"{context.Signal} received");
            }));
        }
    }

    /// <summary>Cancelled once shutdown is requested (signal, child failure).</summary>
    public CancellationToken ShutdownRequested => _shutdown.Token;

    /// <summary>The resources in declaration order.</summary>
    public IReadOnlyList<IAppHostResource> Resources => _resources;

    /// <summary>Declares Azurite; <paramref name="dataDirectory"/> <see langword="null"/> keeps its data in memory.</summary>
    public AzuriteResource AddAzurite(string name, string? dataDirectory) => Add(new AzuriteResource(name, dataDirectory));


    /// <summary>Declares a silo host process with <paramref name="roles"/>.</summary>
    public SiloResource AddSilo(string name, params string[] roles) => Add(new SiloResource(name, roles, _siloHostDll));

    /// <summary>
    /// Starts every resource in declaration order, then waits until every silo answers <c>/health/ready</c>.
    /// </summary>
    /// <exception cref="OperationCanceledException">Shutdown was requested meanwhile.</exception>
    /// <exception cref="SiloStartException">A silo exited or did not become ready in time.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        // Infrastructure first, in declaration order: the silos are configured with its connection strings.
        foreach (var resource in _resources.Where(r => r is not SiloResource))
        {
            _console.Info($"starting {Spectre.Console.Markup.Escape(resource.Name)}");
            await resource.StartAsync(_console, linked.Token).ConfigureAwait(false);
            _ = WatchAsync(resource);
            _console.Info($"{Spectre.Console.Markup.Escape(resource.Name)} is up (pid {resource.ProcessId})");
        }

        var silos = _resources.OfType<SiloResource>().ToList();
        foreach (var silo in silos)
        {
            await silo.StartAsync(_console, linked.Token).ConfigureAwait(false);
        }

        _console.Info($"waiting for {string.Join(", ", silos.Select(s => Spectre.Console.Markup.Escape(s.Name)))} to answer /health/ready");
        // The first silo that fails ends the wait at once (with its own error), rather than after the others' timeouts.
        using var readiness = CancellationTokenSource.CreateLinkedTokenSource(linked.Token);
        // A silo is watched from the moment it is ready: before that, its exit is a start-up failure (or a port clash
        // it is restarted for), reported by the wait itself.
        var pending = silos.Select(async silo =>
        {
            await silo.WaitUntilReadyAsync(readiness.Token).ConfigureAwait(false);
            _ = WatchAsync(silo);
        }).ToList();
        while (pending.Count > 0)
        {
            var finished = await Task.WhenAny(pending).ConfigureAwait(false);
            pending.Remove(finished);
            if (!finished.IsCompletedSuccessfully)
            {
                await readiness.CancelAsync().ConfigureAwait(false);
                await finished.ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Waits until shutdown is requested; returns 0 after a signal, 1 when a child died unexpectedly.
    /// </summary>
    public async Task<int> WaitForShutdownAsync()
    {
        try
        {
            await Task.Delay(Timeout.Infinite, _shutdown.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The expected way out.
        }

        return _failure is null ? 0 : 1;
    }

    /// <summary>The unexpected exit that triggered shutdown, or <see langword="null"/>.</summary>
    public string? Failure => _failure;

    /// <summary>Requests shutdown; what <see cref="WaitForShutdownAsync"/> waits for.</summary>
    public void RequestShutdown(string reason)
    {
        if (!_shutdown.IsCancellationRequested)
        {
            _console.Info($"shutting down: {Spectre.Console.Markup.Escape(reason)}");
            _shutdown.Cancel();
        }
    }

    /// <summary>
    /// Stops silos first (all at once: SIGTERM, then SIGKILL after a grace period), then the remaining resources in
    /// reverse declaration order (Azurite last). Runs once.
    /// </summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        RequestShutdown("stopping every resource");
        var silos = _resources.OfType<SiloResource>().Reverse().ToList();
        await Task.WhenAll(silos.Select(StopOneAsync)).ConfigureAwait(false);
        foreach (var resource in Enumerable.Reverse(_resources).Where(r => r is not SiloResource))
        {
            await StopOneAsync(resource).ConfigureAwait(false);
        }

        _console.Info("every resource is stopped");
    }

    /// <summary>Stops everything (see <see cref="StopAsync"/>) and releases the signal handlers.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        foreach (var signal in _signals)
        {
            signal.Dispose();
        }

        _shutdown.Dispose();
    }

    private T Add<T>(T resource)
        where T : IAppHostResource
    {
        if (_resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.Ordinal)))
        {
            throw new ArgumentException($"A resource named '{resource.Name}' is already declared.", nameof(resource));
        }

        _resources.Add(resource);
        return resource;
    }

    private async Task StopOneAsync(IAppHostResource resource)
    {
        try
        {
            await resource.StopAsync().ConfigureAwait(false);
            _console.Info($"stopped {Spectre.Console.Markup.Escape(resource.Name)}");
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException)
        {
            // Keep stopping the others: one failed stop must not leave the rest running.
            _console.Error($"could not stop {resource.Name} cleanly: {exception.Message}");
        }
    }

    private async Task WatchAsync(IAppHostResource resource)
    {
        var exitCode = await resource.WaitForExitAsync().ConfigureAwait(false);
        if (_shutdown.IsCancellationRequested)
        {
            return;
        }

        await Task.Delay(SignalRaceWindow).ConfigureAwait(false);
        if (_shutdown.IsCancellationRequested)
        {
            return;
        }

        var code = exitCode is { } known ? known.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown";
        _failure = $"{resource.Name} (pid {resource.ProcessId}) exited unexpectedly with exit code {code}";
        _console.Error($"{_failure}; stopping the other resources.");
        RequestShutdown($"{resource.Name} died");
    }
}
