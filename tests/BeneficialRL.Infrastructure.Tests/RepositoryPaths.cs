using System.Reflection;

namespace BeneficialRL.Infrastructure.Tests;

/// <summary>Where the repository and the bicep CLI restored from NuGet are, as the build recorded them.</summary>
internal static class RepositoryPaths
{
    /// <summary>The repository root (the folder of the root Directory.Build.props).</summary>
    public static string Root { get; } = Path.GetFullPath(Metadata("RepoRoot"));

    /// <summary>The <c>infra/</c> folder.</summary>
    public static string Infra { get; } = Path.Combine(Root, "infra");

    /// <summary>Every <c>.bicep</c> file under <c>infra/</c>, relative to it, with forward slashes.</summary>
    public static IReadOnlyList<string> BicepFiles { get; } =
        [.. Directory.EnumerateFiles(Infra, "*.bicep", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Infra, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    /// <summary>The bicep executable of the <c>Azure.Bicep.CommandLine.linux-x64</c> package in the NuGet cache.</summary>
    public static string Bicep { get; } = Path.Combine(Metadata("BicepPackageRoot"), "tools", "bicep");

    private static string Metadata(string key) =>
        typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"The test assembly has no '{key}' metadata: the project file records it at build time.");
}
