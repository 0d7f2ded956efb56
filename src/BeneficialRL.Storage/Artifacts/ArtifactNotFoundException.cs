namespace BeneficialRL.Storage.Artifacts;

/// <summary>No artifact exists at the path (the storage answered 404).</summary>
public sealed class ArtifactNotFoundException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/> in <paramref name="container"/>.</summary>
    public ArtifactNotFoundException(string path, string container, Exception? innerException = null)
        : base($"Artifact '{path}' does not exist in container '{container}'.", innerException)
    {
        Path = path;
    }

    /// <summary>The artifact path.</summary>
    public string Path { get; }
}
