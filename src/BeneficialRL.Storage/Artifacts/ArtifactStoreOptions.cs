namespace BeneficialRL.Storage.Artifacts;

/// <summary>Where and how <see cref="BlobArtifactStore"/> writes artifacts.</summary>
public sealed class ArtifactStoreOptions
{
    /// <summary>Blob container holding every artifact (Azure naming rules: 3–63 lowercase letters, digits, hyphens).</summary>
    public string ContainerName { get; set; } = "artifacts";

    /// <summary>Size of each staged block of a streamed upload; also the largest upload sent as one request.</summary>
    public int BlockSizeBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Blocks uploaded in parallel; memory in use is about (this + 1) × <see cref="BlockSizeBytes"/>.</summary>
    public int UploadConcurrency { get; set; } = 4;

    /// <summary>Size of each ranged GET behind <see cref="IArtifactStore.OpenReadAsync"/>.</summary>
    public int DownloadChunkBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Throws naming the first invalid field.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        if (!Blobs.BlobContainerNames.IsValid(ContainerName))
        {
            throw new ArgumentException(
                $"ArtifactStoreOptions.ContainerName '{ContainerName}' is not a valid blob container name (3-63 lowercase letters, digits and single hyphens).");
        }

        // Azure caps a staged block at 4000 MiB; 64 KiB keeps the 50 000-block limit far away.
        if (BlockSizeBytes is < 64 * 1024 or > 256 * 1024 * 1024)
        {
            throw new ArgumentException($"ArtifactStoreOptions.BlockSizeBytes {BlockSizeBytes} must be between 64 KiB and 256 MiB.");
        }

        if (UploadConcurrency is < 1 or > 64)
        {
            throw new ArgumentException($"ArtifactStoreOptions.UploadConcurrency {UploadConcurrency} must be between 1 and 64.");
        }

        if (DownloadChunkBytes is < 64 * 1024 or > 256 * 1024 * 1024)
        {
            throw new ArgumentException($"ArtifactStoreOptions.DownloadChunkBytes {DownloadChunkBytes} must be between 64 KiB and 256 MiB.");
        }
    }
}
