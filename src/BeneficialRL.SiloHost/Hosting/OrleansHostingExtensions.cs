using System.Net;
using Azure.Storage.Blobs;
using BeneficialRL.Grains;
using BeneficialRL.Grains.Hosting;
using BeneficialRL.Storage.GrainState;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace BeneficialRL.SiloHost.Hosting;

/// <summary>Wires the Orleans silo that shares this process with the API.</summary>
public static class OrleansHostingExtensions
{
    /// <summary>
    /// Adds the silo: localhost clustering when no Redis connection string is configured (one silo),
    /// Redis clustering and reminders otherwise; blob grain storage on <paramref name="blobs"/>; role metadata and trainer placement.
    /// </summary>
    public static WebApplicationBuilder AddBeneficialRLSilo(this WebApplicationBuilder builder, SiloHostOptions silo, BlobServiceClient blobs)
    {
        var redis = builder.Configuration.GetConnectionString("redis");

        builder.UseOrleans(orleans =>
        {
            if (string.IsNullOrWhiteSpace(redis))
            {
                orleans.UseLocalhostClustering(silo.SiloPort, silo.GatewayPort);
                orleans.UseInMemoryReminderService();
            }
            else
            {
                var redisOptions = ConfigurationOptions.Parse(redis);
                orleans.ConfigureEndpoints(IPAddress.Loopback, silo.SiloPort, silo.GatewayPort);
                orleans.UseRedisClustering(o => o.ConfigurationOptions = redisOptions);
                orleans.UseRedisReminderService(o => o.ConfigurationOptions = redisOptions);
            }

            orleans.Configure<SiloOptions>(o => o.SiloName = silo.Name);
            // After the clustering call, which sets its own defaults: the Orleans section decides.
            orleans.Services.AddOptions<ClusterOptions>().Configure<IOptions<ClusterIdentityOptions>>((cluster, identity) =>
                (cluster.ClusterId, cluster.ServiceId) = (identity.Value.ClusterId, identity.Value.ServiceId));
            orleans.AddBeneficialRLGrains(silo.Name, silo.ParsedRoles);
            orleans.AddBlobGrainStorage(GrainStorageNames.Default, options => options.BlobServiceClient = blobs);
        });

        return builder;
    }
}
