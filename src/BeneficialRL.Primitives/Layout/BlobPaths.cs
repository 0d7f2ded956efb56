namespace BeneficialRL.Primitives.Layout;

/// <summary>Checks blob paths before any request, so a bad one fails with its name; the layout and the store share it.</summary>
public static class BlobPaths
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="parameterName"/> unless <paramref name="path"/> is a valid blob path.</summary>
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
}
