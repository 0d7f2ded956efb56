using System.Text.RegularExpressions;

namespace BeneficialRL.Storage.Artifacts;

/// <summary>Checks artifact metadata names before any request, so a bad one fails with its name (paths: <see cref="BeneficialRL.Primitives.Layout.BlobPaths"/>).</summary>
internal static partial class ArtifactPaths
{
    public const string Sha256MetadataKey = "sha256";

    public static void ValidateMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        foreach (var (name, value) in metadata)
        {
            if (!MetadataNamePattern().IsMatch(name))
            {
                throw new ArgumentException($"Artifact metadata name '{name}' must be a C# identifier (letters, digits, '_').", nameof(metadata));
            }

            if (string.Equals(name, Sha256MetadataKey, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"Artifact metadata name '{name}' is reserved for the content hash the store computes.", nameof(metadata));
            }

            if (value is null || !value.All(char.IsAscii))
            {
                throw new ArgumentException($"Artifact metadata '{name}' must have an ASCII value.", nameof(metadata));
            }
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex MetadataNamePattern();
}
