namespace BeneficialRL.Primitives.Layout;

/// <summary>An immutable artifact already exists at the path with different content.</summary>
public sealed class ArtifactConflictException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public ArtifactConflictException(string path, string existingSha256, string newSha256)
        : base($"Artifact '{path}' already exists with SHA-256 {existingSha256}; the new content has SHA-256 {newSha256}. The blob is written once, so it was left as it was: a rerun that should produce the same bytes did not.")
    {
        Path = path;
        ExistingSha256 = existingSha256;
        NewSha256 = newSha256;
    }

    /// <summary>The artifact path.</summary>
    public string Path { get; }

    /// <summary>Hash of the stored content.</summary>
    public string ExistingSha256 { get; }

    /// <summary>Hash of the rejected content.</summary>
    public string NewSha256 { get; }
}
