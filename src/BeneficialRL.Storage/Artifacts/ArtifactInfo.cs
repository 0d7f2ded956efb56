namespace BeneficialRL.Storage.Artifacts;

/// <summary>What the store knows about one stored artifact.</summary>
/// <param name="Path">Blob path inside the artifact container, e.g. <c>checkpoints/{id}/model.safetensors</c>.</param>
/// <param name="Length">Size in bytes.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the content, computed while uploading; empty for a blob written by other tools.</param>
/// <param name="ContentType">MIME type given at upload.</param>
/// <param name="LastModified">When the blob was last written.</param>
/// <param name="Metadata">Caller metadata given at upload (the hash key excluded).</param>
public sealed record ArtifactInfo(
    string Path,
    long Length,
    string Sha256,
    string ContentType,
    DateTimeOffset LastModified,
    IReadOnlyDictionary<string, string> Metadata);
