using System.Text.RegularExpressions;

namespace BeneficialRL.Storage.Blobs;

/// <summary>Azure's container naming rule, checked up front so a bad option fails at start-up with its name.</summary>
public static partial class BlobContainerNames
{
    /// <summary>3–63 characters: lowercase letters, digits and single hyphens, starting and ending with a letter or digit.</summary>
    public static bool IsValid(string? name) => name is { Length: >= 3 and <= 63 } && ContainerNamePattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9](?!.*--)[a-z0-9-]*[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerNamePattern();
}
