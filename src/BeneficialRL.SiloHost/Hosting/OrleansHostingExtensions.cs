using System.Net;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using BeneficialRL.Grains;
using BeneficialRL.Storage.GrainState;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace BeneficialRL.SiloHost.Hosting;

/// <summary>Wires the Orleans silo that shares this process with the API.</summary>
public static class OrleansHostingExtensions
{
    /// <summary>
    /// Adds the silo: cluster membership and reminders on Azure Table storage (the official Orleans providers; Azurite
    /// locally), so one silo or many run the same way; blob grain storage on <paramref name="blobs"/>; role metadata and
    /// trainer placement.
    /// </summary>
    public static WebApplicationBuilder AddBeneficialRLSilo(this WebApplicationBuilder builder, SiloHostOptions silo, BlobServiceClient blobs, TableServiceClient tables)
    {
        builder.UseOrleans(orleans =>
        {
            orleans.UseAzureStorageClustering(o => o.TableServiceClient = tables);
            orleans.UseAzureTableReminderService(o => o.TableServiceClient = tables);
            if (!IPAddress.TryParse(silo.AdvertisedAddress, out var advertised)) throw new InvalidOperationException($"Silo:AdvertisedAddress '{silo.AdvertisedAddress}' is not an IP address.");
            orleans.ConfigureEndpoints(advertised, silo.SiloPort, silo.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
            orleans.Configure<SiloOptions>(o => o.SiloName = silo.Name);
            orleans.Services.AddOptions<ClusterOptions>().Configure<IOptions<ClusterIdentityOptions>>((cluster, identity) =>
                (cluster.ClusterId, cluster.ServiceId) = (identity.Value.ClusterId, identity.Value.ServiceId));
            orleans.AddBeneficialRLGrains(silo.Name, silo.ParsedRoles);
            orleans.AddBlobGrainStorage(GrainStorageNames.Default, options => options.BlobServiceClient = blobs);
            // Every silo profiles its grain calls for the Orleans dashboard; API silos serve its UI (operators only).
            orleans.AddDashboard();
        });

        return builder;
    }
}
