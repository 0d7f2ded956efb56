using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Orleans;
using BeneficialRL.Contracts.Cluster;

namespace BeneficialRL.AppHost.Resources;

/// <summary>What <see cref="BeneficialRLStack.AddBeneficialRL"/> declares.</summary>
public sealed record StackSettings
{
    /// <summary>Trainer silos next to the API silo; 0: one silo with both roles.</summary>
    public required int Trainers { get; init; }

    /// <summary>libtorch threads of each trainer silo (<c>Silo__TorchThreads</c>); 0: one per core.</summary>
    public int TorchThreadsPerTrainer { get; init; }

    /// <summary>Host port of the API silo's HTTP endpoint, or <see langword="null"/> for one DCP picks.</summary>
    public int? ApiPort { get; init; }

    /// <summary>The pinned Azurite install's entry point (<c>azurite.js</c>).</summary>
    public required string AzuriteEntryPoint { get; init; }

    /// <summary>Where Azurite keeps its data; <see langword="null"/>: in memory.</summary>
    public string? AzuriteDataDirectory { get; init; }

    /// <summary>The bootstrap admin key every silo accepts.</summary>
    public required string ApiKey { get; init; }

    /// <summary>
    /// Orleans cluster id, new for every run as Orleans advises per deployment: the membership table outlives a run
    /// (Azurite keeps its data) and a new run must not wait on the last one's silos. The service id, which keys state
    /// and reminders, stays.
    /// </summary>
    public string ClusterId { get; init; } = "local-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    /// <summary>Orleans service id.</summary>
    public string ServiceId { get; init; } = "beneficialrl";
}

/// <summary>The declared resources: the storage account and the silos, the API silo first.</summary>
public sealed record BeneficialRLResources(
    IResourceBuilder<AzuriteResource> Storage,
    IResourceBuilder<ProjectResource> Api,
    IReadOnlyList<IResourceBuilder<ProjectResource>> Trainers)
{
    /// <summary>Every silo, the API silo first.</summary>
    public IEnumerable<IResourceBuilder<ProjectResource>> Silos => [Api, .. Trainers];
}

/// <summary>The resource model of one local BeneficialRL stack, declared once for the AppHost and its tests.</summary>
public static class BeneficialRLStack
{
    /// <summary>Name of the API silo resource.</summary>
    public const string ApiSiloName = "silo-api";

    /// <summary>Name of the storage resource.</summary>
    public const string StorageName = "azurite";

    /// <summary>Name of the silos' HTTP endpoint (REST API and health).</summary>
    public const string HttpEndpointName = "http";

    /// <summary>Declares Azurite, the Orleans cluster and its silos on <paramref name="builder"/>.</summary>
    public static BeneficialRLResources AddBeneficialRL(this IDistributedApplicationBuilder builder, StackSettings settings)
    {
        // The storage account for everything durable: blobs (grain state, checkpoints, reports) and tables (cluster
        // membership, reminders). The real emulator, persisted in the data folder.
        var storage = builder.AddAzurite(StorageName, settings.AzuriteEntryPoint, settings.AzuriteDataDirectory);

        // The Orleans cluster: its identity, and membership and reminders on the storage account's tables.
        var tables = new StorageAccountProvider(storage);
        var orleans = builder.AddOrleans("cluster")
            .WithClusterId(settings.ClusterId)
            .WithServiceId(settings.ServiceId)
            .WithClustering(tables)
            .WithReminders(tables);

        // A secret parameter: the dashboard shows it masked.
        var apiKey = builder.AddParameter("api-key", settings.ApiKey, secret: true);

        // The silo that serves the REST API and OpenAPI; alone, it also trains.
        var api = AddSilo(builder, ApiSiloName, settings.Trainers > 0 ? [SiloRoles.Api] : [SiloRoles.Api, SiloRoles.Trainer], settings.ApiPort, orleans, storage, apiKey);
        var http = api.GetEndpoint(HttpEndpointName);
        api.WithUrlForEndpoint(HttpEndpointName, url => url.DisplayText = "Silo host (HTTP)")
            .WithUrl(ReferenceExpression.Create($"{http}/"), "Research dashboard (sign in with the API key)")
            .WithUrl(ReferenceExpression.Create($"{http}/api/v1/experiments"), "REST API: experiments")
            .WithUrl(ReferenceExpression.Create($"{http}/openapi/v1.json"), "OpenAPI document")
            .WithUrl(ReferenceExpression.Create($"{http}/orleans-dashboard/"), "Orleans dashboard (the operator key as password)");

        // Trainer silos host the training and evaluation grains, placed there by silo role; where they share the machine's
        // cores, each runs libtorch on its share.
        var trainers = Enumerable.Range(1, settings.Trainers)
            .Select(i => AddSilo(builder, $"trainer-{i}", [SiloRoles.Trainer], port: null, orleans, storage, apiKey))
            .Select(trainer => settings.TorchThreadsPerTrainer > 0 ? trainer.WithEnvironment("Silo__TorchThreads", settings.TorchThreadsPerTrainer.ToString(CultureInfo.InvariantCulture)) : trainer)
            .ToList();

        return new BeneficialRLResources(storage, api, trainers);
    }

    private static IResourceBuilder<ProjectResource> AddSilo(
        IDistributedApplicationBuilder builder,
        string name,
        string[] roles,
        int? port,
        OrleansService orleans,
        IResourceBuilder<AzuriteResource> storage,
        IResourceBuilder<ParameterResource> apiKey)
    {
        var silo = builder.AddProject<Projects.BeneficialRL_SiloHost>(name, launchProfileName: null)
            .WithHttpEndpoint(port: port, name: HttpEndpointName)
            // Cluster id, service id, and a silo/gateway endpoint pair of this silo's own (Orleans__Endpoints__*).
            .WithReference(orleans)
            .WithEnvironment("Silo__Name", name)
            .WithEnvironment("Silo__Roles", string.Join(',', roles))
            .WithEnvironment("Auth__BootstrapAdminKey", apiKey)
            .WithHttpHealthCheck("/health/ready", endpointName: HttpEndpointName)
            .WaitFor(storage);
        // The silo host reads its Orleans ports from the Silo section.
        return silo
            .WithEnvironment("Silo__SiloPort", silo.GetEndpoint("orleans-silo").Property(EndpointProperty.TargetPort))
            .WithEnvironment("Silo__GatewayPort", silo.GetEndpoint("orleans-gateway").Property(EndpointProperty.TargetPort));
    }
}
