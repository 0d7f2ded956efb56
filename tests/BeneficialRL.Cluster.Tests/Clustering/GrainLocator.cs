using BeneficialRL.Contracts.Experiments;
using BeneficialRL.Contracts.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Azure.Data.Tables;

namespace BeneficialRL.Cluster.Tests.Clustering;

/// <summary>
/// An Orleans client of a <see cref="TestCluster"/> that answers one question the REST API does not: which silo
/// an experiment grain is activated on. It never activates a grain itself.
/// </summary>
internal sealed class GrainLocator : IAsyncDisposable
{
    private readonly IHost _host;

    private GrainLocator(IHost host) => _host = host;

    private IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    /// <summary>Connects to the cluster through its membership table.</summary>
    public static async Task<GrainLocator> ConnectAsync(TestCluster cluster, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ClusterId))
            .UseAzureStorageClustering((Orleans.Clustering.AzureStorage.AzureStorageGatewayOptions o) => o.TableServiceClient = new TableServiceClient(cluster.Azurite.ConnectionString)));
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new GrainLocator(host);
    }

    /// <summary>The name of the silo the experiment grain of <paramref name="experimentId"/> is activated on, or null when it is not active.</summary>
    public async Task<string?> ExperimentSiloAsync(string tenant, string experimentId)
    {
        var management = Client.GetGrain<IManagementGrain>(0);
        var grain = Client.GetGrain<IExperimentGrain>(ResourceKey.For(tenant, experimentId));
        if (await management.GetActivationAddress(grain) is not { } address) return null;
        var hosts = await management.GetDetailedHosts(onlyActive: true);
        return hosts.FirstOrDefault(h => h.SiloAddress.Equals(address))?.SiloName;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
