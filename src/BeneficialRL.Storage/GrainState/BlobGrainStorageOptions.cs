using Azure.Storage.Blobs;
using Orleans;
using Orleans.Storage;

namespace BeneficialRL.Storage.GrainState;

/// <summary>Options of one named <see cref="BlobGrainStorage"/> provider.</summary>
public sealed class BlobGrainStorageOptions : IStorageProviderSerializerOptions
{
    /// <summary>Blob container holding the grain state blobs (Azure naming rules).</summary>
    public string ContainerName { get; set; } = "grainstate";

    /// <summary>
    /// Storage connection string. Leave null to use <see cref="BlobServiceClient"/>, or else the
    /// <see cref="Azure.Storage.Blobs.BlobServiceClient"/> registered in the container (by <c>AddBlobArtifactStore</c>).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>A ready client; wins over <see cref="ConnectionString"/>. Configure its SDK retries off (see <c>BlobStorageClients</c>).</summary>
    public BlobServiceClient? BlobServiceClient { get; set; }

    /// <summary>
    /// Serializer of the state; left null it becomes <see cref="GrainStateSerializer"/> (Orleans' binary format,
    /// reading the JSON stored before it), never the silo's default JSON serializer, which writes runtime type names.
    /// </summary>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;

    /// <summary>Silo lifecycle stage at which the container is created.</summary>
    public int InitStage { get; set; } = ServiceLifecycleStage.ApplicationServices;
}
