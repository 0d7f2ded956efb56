using System.Text.RegularExpressions;

namespace BeneficialRL.Storage.Artifacts;

/// <summary>Checks artifact paths and metadata names before any request, so a bad one fails with its name.</summary>
internal static partial class ArtifactPaths
{
    public const string Sha256MetadataKey = "sha256";

    public static void ValidatePath(string path, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path, parameterName);
        if (path.Length > 1024)
        {
            throw new ArgumentException($"Artifact path is {path.Length} characters; blob names stop at 1024: '{path[..64]}...'.", parameterName);
        }

        if (path.StartsWith('/') || path.EndsWith('/') || path.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Artifact path '{path}' must use '/' separators and neither start nor end with '/'.", parameterName);
        }

        foreach (var segment in path.Split('/'))
        {
            if (!IsValidSegment(segment))
            {
                throw new ArgumentException($"Artifact path '{path}' has an empty, '.' or '..' segment, or one ending with '.'.", parameterName);
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="segment"/> can be one folder or file name of a blob path: not empty, not '.' or '..',
    /// not ending with '.' (Azure trims a trailing dot, so two names would meet), no separator or control character.
    /// </summary>
    public static bool IsValidSegment(string? segment) =>
        !string.IsNullOrWhiteSpace(segment)
        && segment is not ("." or "..")
        && !segment.EndsWith('.')
        && !segment.Contains('/', StringComparison.Ordinal)
        && !segment.Contains('\\', StringComparison.Ordinal)
        && !segment.Any(char.IsControl);

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
