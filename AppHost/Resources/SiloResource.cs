using BeneficialRL.AppHost.Silos;
using BeneficialRL.AppHost.Terminal;
using BeneficialRL.LocalInfrastructure;
using Spectre.Console;

namespace BeneficialRL.AppHost.Resources;

/// <summary>A silo host process with its roles, wired to the storage account (blobs; tables for membership and reminders) through environment variables.</summary>
public sealed class SiloResource : IAppHostResource
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);

    private readonly string _siloHostDll;
    private readonly List<string> _roles;
    private int? _requestedHttpPort;
    private AzuriteResource? _blobs;
    private string? _apiKey;
    private SiloLaunchSettings? _settings;
    private ResourceConsole? _console;
    private SiloProcess? _process;

    internal SiloResource(string name, IEnumerable<string> roles, string siloHostDll)
    {
        Name = name;
        _roles = [.. roles];
        _siloHostDll = siloHostDll;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The silo's roles.</summary>
    public IReadOnlyList<string> Roles => _roles;

    /// <summary>What the silo runs with, once ready.</summary>
    public SiloLaunchSettings Settings => _process?.Settings ?? throw new InvalidOperationException($"Resource '{Name}' has not been started.");

    /// <inheritdoc />
    public int? ProcessId => _process?.ProcessId;

    /// <summary>Completes with the exit code when the process ends; only valid once started.</summary>
    public Task<int> Exited => _process?.Exited ?? throw new InvalidOperationException($"Resource '{Name}' has not been started.");

    /// <inheritdoc />
    public async Task<int?> WaitForExitAsync() => await Exited.ConfigureAwait(false);

    /// <summary>Listens on <paramref name="port"/> for HTTP, or on a free port (with a warning) when it is busy.</summary>
    public SiloResource WithHttpPort(int port)
    {
        _requestedHttpPort = port;
        return this;
    }

    /// <summary>Stores grain state and blobs, and keeps cluster membership and reminders, in <paramref name="blobs"/> (<c>ConnectionStrings__blobs</c>).</summary>
    public SiloResource WithReference(AzuriteResource blobs)
    {
        _blobs = blobs;
        return this;
    }

    /// <summary>Accepts <paramref name="apiKey"/> as the bootstrap admin key (<c>Auth__BootstrapAdminKey</c>).</summary>
    public SiloResource WithBootstrapApiKey(string apiKey)
    {
        _apiKey = apiKey;
        return this;
    }

    /// <summary>Chooses the silo's ports and configuration; the process starts in <see cref="WaitUntilReadyAsync"/>.</summary>
    public Task StartAsync(ResourceConsole console, CancellationToken cancellationToken)
    {
        var blobs = _blobs ?? throw new InvalidOperationException($"Silo '{Name}' has no blob storage: call WithReference(azurite) when declaring it.");
        _console = console;
        _settings = SiloLaunchSettings.WithFreePorts(Name, _roles, blobs.ConnectionString, ResolveHttpPort(console)) with
        {
            BootstrapAdminKey = _apiKey,
            OtlpEndpoint = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"),
        };
        return Task.CompletedTask;
    }

    /// <summary>
    /// Starts the silo host and waits for <c>/health/ready</c> to answer 200 (3 minutes at most), starting it again on
    /// fresh ports when one was taken meanwhile.
    /// </summary>
    /// <exception cref="SiloStartException">The silo exited or did not become ready in time.</exception>
    public async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var settings = _settings ?? throw new InvalidOperationException($"Resource '{Name}' has not been started.");
        var console = _console!;
        try
        {
            _process = await SiloProcess.StartAndWaitUntilReadyAsync(
                settings,
                _siloHostDll,
                line => console.Line(Name, line),
                ReadyTimeout,
                onStarted: silo =>
                {
                    _process = silo;
                    var s = silo.Settings;
                    console.Info($"started {Markup.Escape(Name)} (pid {silo.ProcessId}, roles {string.Join(',', _roles)}, http {s.BaseAddress}, silo port {s.SiloPort}, gateway port {s.GatewayPort})");
                },
                onRestart: console.Warn,
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The launcher has already stopped the process it started last: there is nothing left to stop.
            _process = null;
            throw;
        }
    }

    /// <inheritdoc />
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            // Long enough for Orleans to deactivate grains and leave the membership table cleanly.
            await _process.StopAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
            await _process.DisposeAsync().ConfigureAwait(false);
        }
    }

    private int? ResolveHttpPort(ResourceConsole console)
    {
        if (_requestedHttpPort is not { } requested || PortProbe.IsFree(requested))
        {
            return _requestedHttpPort;
        }

        var fallback = FreePorts.Next();
        console.Warn($"port {requested} is busy: {Name} listens on port {fallback} instead.");
        return fallback;
    }

}
