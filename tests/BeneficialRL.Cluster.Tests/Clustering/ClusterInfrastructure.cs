using BeneficialRL.Cluster.Tests.Infrastructure;
using BeneficialRL.LocalInfrastructure;

namespace BeneficialRL.Cluster.Tests.Clustering;

/// <summary>
/// One real redis-server and one in-memory Azurite shared by the clustering tests of a class; each test isolates
/// itself with its own Orleans cluster id.
/// </summary>
public sealed class ClusterInfrastructure : IAsyncLifetime
{
    private readonly OutputLog _redisLog = new("redis");
    private readonly OutputLog _azuriteLog = new("azurite");
    private RedisServer? _redis;
    private AzuriteServer? _azurite;

    /// <summary>The redis-server, once started.</summary>
    public RedisServer Redis => _redis ?? throw new InvalidOperationException("Redis has not been started.");

    /// <summary>Azurite, once started.</summary>
    public AzuriteServer Azurite => _azurite ?? throw new InvalidOperationException("Azurite has not been started.");

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        var redis = RedisServer.StartAsync(_redisLog.Add, CancellationToken.None);
        var azurite = AzuriteServer.StartAsync(new AzuriteServerOptions { Log = _azuriteLog.Add }, CancellationToken.None);
        _redis = await redis;
        _azurite = await azurite;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
