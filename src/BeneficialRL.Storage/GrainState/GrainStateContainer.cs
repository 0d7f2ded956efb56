using Azure.Storage.Blobs;
using Orleans.Runtime;
using Orleans.Storage;
using Polly;

namespace BeneficialRL.Storage.GrainState;

/// <summary>
/// The one container every grain's state lives in, for the official provider (<see cref="AzureBlobGrainStorage"/>):
/// created through the blob resilience pipeline at start, so a storage account that is briefly unreachable delays the
/// silo instead of failing it.
/// </summary>
public sealed class GrainStateContainer(string containerName, ResiliencePipeline pipeline) : IBlobContainerFactory
{
    private BlobContainerClient? _container;

    /// <summary>The container, once <see cref="InitializeAsync"/> ran.</summary>
    public BlobContainerClient Client => _container ?? throw new InvalidOperationException($"The grain-state container '{containerName}' is used before the silo initialised it.");

    /// <inheritdoc />
    public BlobContainerClient GetBlobContainerClient(GrainId grainId) => Client;

    /// <inheritdoc />
    public async Task InitializeAsync(BlobServiceClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var container = client.GetBlobContainerClient(containerName);
        await pipeline.ExecuteAsync(async token => await container.CreateIfNotExistsAsync(cancellationToken: token).ConfigureAwait(false)).ConfigureAwait(false);
        _container = container;
    }
}
