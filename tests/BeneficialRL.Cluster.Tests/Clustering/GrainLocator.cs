using BeneficialRL.LocalInfrastructure;
using System.Net;
using BeneficialRL.Contracts.Experiments;
using BeneficialRL.Contracts.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace BeneficialRL.Cluster.Tests.Clustering;

/// <summary>
/// Answers one question the REST API does not: which silo an experiment grain is activated on. It never activates a
/// grain itself. Each query is an Orleans client of its own whose only gateway is a silo the caller knows is alive:
/// a client that found its gateways in the membership table could pick a silo the test had just killed, before
/// membership declared it dead, and fail with a refused connection (seen once on a fresh clone).
/// </summary>
internal static class GrainLocator
{
    /// <summary>The name of the silo the experiment grain of <paramref name="experimentId"/> is activated on, or null when it is not active.</summary>
    public static async Task<string?> ExperimentSiloAsync(TestCluster cluster, SiloProcess through, string tenant, string experimentId, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ClusterId))
            .UseStaticClustering(new IPEndPoint(IPAddress.Loopback, through.Settings.GatewayPort)));
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            var client = host.Services.GetRequiredService<IClusterClient>();
            var management = client.GetGrain<IManagementGrain>(0);
            var grain = client.GetGrain<IExperimentGrain>(ResourceKey.For(tenant, experimentId));
            if (await management.GetActivationAddress(grain) is not { } address) return null;
            var hosts = await management.GetDetailedHosts(onlyActive: true);
            return hosts.FirstOrDefault(h => h.SiloAddress.Equals(address))?.SiloName;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
