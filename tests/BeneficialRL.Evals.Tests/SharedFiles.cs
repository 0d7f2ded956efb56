namespace BeneficialRL.Evals.Tests;

/// <summary>Locates the real public benchmark files in <c>{repo}/../shared/benchmarks</c> (never copied into the repository).</summary>
internal static class SharedFiles
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BeneficialRL.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "benchmarks"));
            }
        }

        throw new InvalidOperationException($"No folder holding BeneficialRL.sln above {AppContext.BaseDirectory}.");
    });

    public static string PathOf(string relative) => Path.Combine(Root.Value, relative);

    public static byte[] Read(string relative) => File.ReadAllBytes(PathOf(relative));
}
