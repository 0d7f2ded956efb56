using BeneficialRL.Cluster.Tests.Infrastructure;
using BeneficialRL.LocalInfrastructure;

namespace BeneficialRL.Cluster.Tests.Clustering;

/// <summary>
/// One in-memory Azurite (blobs; tables for Orleans membership and reminders) shared by the clustering tests of a
/// class; each test isolates itself with its own Orleans cluster and service id.
/// </summary>
public sealed class ClusterInfrastructure : IAsyncLifetime
{
    private readonly OutputLog _azuriteLog = new("azurite");
    private AzuriteServer? _azurite;

    /// <summary>Azurite, once started.</summary>
    public AzuriteServer Azurite => _azurite ?? throw new InvalidOperationException("Azurite has not been started.");

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        _azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions { Log = _azuriteLog.Add }, CancellationToken.None);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
