using BeneficialRL.Primitives.Layout;
namespace BeneficialRL.Storage.Artifacts;

/// <summary>
/// Content-hashed artifacts (scenario sets, checkpoints, metrics, reports) in blob storage, written once or
/// replaced as <see cref="ArtifactWriteMode"/> says (paths and their modes: <c>Layout/TenantBlobLayout</c>).
/// Every call goes through the <c>blob-storage</c> resilience pipeline.
/// </summary>
public interface IArtifactStore
{
    /// <summary>
    /// Streams <paramref name="content"/> to blob <paramref name="path"/> in staged blocks (never buffering it whole)
    /// while computing its SHA-256, which is stored as blob metadata and returned. An immutable write
    /// (<c>If-None-Match: *</c>) that finds the blob with the same hash is a no-op (an idempotent retry); with a
    /// different hash it throws <see cref="ArtifactConflictException"/> and leaves the blob as it was.
    /// </summary>
    /// <param name="path">Blob path: '/'-separated, no leading '/', no '.' or '..' segments, at most 1024 characters.</param>
    /// <param name="content">Content to upload, read once from its current position; need not be seekable.</param>
    /// <param name="contentType">MIME type stored with the blob.</param>
    /// <param name="mode">Write once (the default) or replace an existing blob.</param>
    /// <param name="metadata">Extra metadata: names are C# identifiers, values ASCII; <c>sha256</c> is reserved.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <exception cref="ArtifactConflictException">The path holds different content and <paramref name="mode"/> is <see cref="ArtifactWriteMode.Immutable"/>.</exception>
    Task<ArtifactInfo> PutAsync(
        string path,
        Stream content,
        string contentType,
        ArtifactWriteMode mode = ArtifactWriteMode.Immutable,
        IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="content"/> at <c>{prefix}/{sha256}{extension}</c>: it is first streamed to a temporary
    /// file to learn its hash. Returns the stored info; a no-op when that content is already present.
    /// </summary>
    /// <param name="prefix">Folder path, e.g. <c>checkpoints/blobs</c> (a trailing '/' is ignored).</param>
    /// <param name="extension">Empty or starting with '.', e.g. <c>.safetensors</c>.</param>
    /// <param name="content">Content to upload; need not be seekable.</param>
    /// <param name="contentType">MIME type stored with the blob.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    Task<ArtifactInfo> PutContentAddressedAsync(string prefix, string extension, Stream content, string contentType, CancellationToken cancellationToken = default);

    /// <summary>Opens the artifact for streaming reads (ranged requests pinned to the blob's ETag).</summary>
    /// <exception cref="ArtifactNotFoundException">The storage answered 404 for the path.</exception>
    Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>The artifact's info, or null when the storage answers 404.</summary>
    Task<ArtifactInfo?> GetInfoAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Every artifact whose path starts with <paramref name="prefix"/>, in path order, page by page.</summary>
    IAsyncEnumerable<ArtifactInfo> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Deletes the artifact; false when it did not exist.</summary>
    Task<bool> DeleteAsync(string path, CancellationToken cancellationToken = default);
}
