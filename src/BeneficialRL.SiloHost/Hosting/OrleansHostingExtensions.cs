using System.Net;
using Azure.Storage.Blobs;
using BeneficialRL.Grains;
using BeneficialRL.Grains.Hosting;
using BeneficialRL.Storage.GrainState;
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
        var clusterId = builder.Configuration["Orleans:ClusterId"] ?? "beneficialrl-local";
        var serviceId = builder.Configuration["Orleans:ServiceId"] ?? "beneficialrl";
        var reminderPeriod = builder.Configuration.GetValue<TimeSpan?>($"{RecoveryOptions.SectionName}:{nameof(RecoveryOptions.ReminderPeriod)}");

        builder.UseOrleans(orleans =>
        {
            if (string.IsNullOrWhiteSpace(redis))
            {
                orleans.UseLocalhostClustering(silo.SiloPort, silo.GatewayPort, serviceId: serviceId, clusterId: clusterId);
                orleans.UseInMemoryReminderService();
            }
            else
            {
                var redisOptions = ConfigurationOptions.Parse(redis);
                orleans.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, serviceId));
                orleans.ConfigureEndpoints(IPAddress.Loopback, silo.SiloPort, silo.GatewayPort);
                orleans.UseRedisClustering(o => o.ConfigurationOptions = redisOptions);
                orleans.UseRedisReminderService(o => o.ConfigurationOptions = redisOptions);
            }

            orleans.Configure<SiloOptions>(o => o.SiloName = silo.Name);
            orleans.AddBeneficialRLGrains(silo.Name, silo.ParsedRoles, reminderPeriod);
            orleans.AddBlobGrainStorage(GrainStorageNames.Default, options => options.BlobServiceClient = blobs);
        });

        return builder;
    }
}
