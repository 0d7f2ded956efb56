using BeneficialRL.AppHost.Terminal;
using BeneficialRL.LocalInfrastructure;

namespace BeneficialRL.AppHost.Resources;

/// <summary>A throw-away redis-server for Orleans membership and reminders when several silos run.</summary>
public sealed class RedisResource : IAppHostResource
{
    private RedisServer? _server;

    internal RedisResource(string name) => Name = name;

    /// <inheritdoc />
    public string Name { get; }

    /// <summary><c>127.0.0.1:{port}</c>, once started.</summary>
    public string ConnectionString => _server?.ConnectionString ?? throw new InvalidOperationException($"Resource '{Name}' has not been started.");

    /// <inheritdoc />
    public Task<int?> WaitForExitAsync() => ProcessExit.WaitAsync(ProcessId ?? throw new InvalidOperationException($"Resource '{Name}' has not been started."));

    /// <inheritdoc />
    public int? ProcessId => _server?.ProcessId;

    /// <inheritdoc />
    public async Task StartAsync(ResourceConsole console, CancellationToken cancellationToken) =>
        _server = await RedisServer.StartAsync(line => console.Line(Name, line), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
            _server = null;
        }
    }
}
