using Azure.Storage.Blobs;
using BeneficialRL.Storage.Blobs;
using BeneficialRL.Storage.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Registry;

namespace BeneficialRL.Storage.Artifacts;

/// <summary>Registers the artifact store and what it stands on.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="BlobServiceClient"/> for <paramref name="connectionString"/> (the caller reads it from
    /// <c>ConnectionStrings:blobs</c>; SDK retries off), the <c>blob-storage</c> Polly pipeline, <see cref="IArtifactStore"/>
    /// and a hosted service that creates the artifact container at start.
    /// </summary>
    /// <exception cref="ArgumentException">The connection string is empty or malformed.</exception>
    public static IServiceCollection AddBlobArtifactStore(this IServiceCollection services, string connectionString, Action<ArtifactStoreOptions>? configure = null) =>
        services.AddBlobArtifactStore(BlobStorageClients.Create(connectionString), configure);

    /// <summary>
    /// Registers <paramref name="client"/> (made by <see cref="BlobStorageClients"/>, SDK retries off), the
    /// <c>blob-storage</c> Polly pipeline, <see cref="IArtifactStore"/> and a hosted service that creates the artifact
    /// container at start.
    /// </summary>
    public static IServiceCollection AddBlobArtifactStore(this IServiceCollection services, BlobServiceClient client, Action<ArtifactStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(client);
        services.TryAddSingleton(client);
        var options = services.AddOptions<ArtifactStoreOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddBlobStorageResilience();
        services.TryAddSingleton(provider => new BlobArtifactStore(
            provider.GetRequiredService<BlobServiceClient>(),
            provider.GetRequiredService<IOptions<ArtifactStoreOptions>>(),
            provider.GetRequiredService<ResiliencePipelineProvider<string>>(),
            provider.GetRequiredService<ILogger<BlobArtifactStore>>()));
        services.TryAddSingleton<IArtifactStore>(provider => provider.GetRequiredService<BlobArtifactStore>());
        services.AddHostedService<ArtifactContainerInitializer>();
        return services;
    }
}
