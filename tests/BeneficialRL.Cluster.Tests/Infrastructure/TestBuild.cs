using BeneficialRL.LocalInfrastructure;

namespace BeneficialRL.Cluster.Tests.Infrastructure;

/// <summary>Finds the build outputs of the configuration these tests were built in (eng/test.sh builds Release).</summary>
internal static class TestBuild
{
    /// <summary>The test assembly's configuration folder name: <c>…/bin/{Configuration}/net10.0/</c>.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name
        ?? throw new InvalidOperationException($"'{AppContext.BaseDirectory}' is not a bin/{{Configuration}}/{{framework}} folder.");

    /// <summary><c>AppHost/bin/{Configuration}/net10.0/BeneficialRL.AppHost.dll</c>, checked to exist.</summary>
    public static string AppHostDll
    {
        get
        {
            var path = Path.Combine(RepositoryLayout.FindRoot(), "AppHost", "bin", Configuration, "net10.0", "BeneficialRL.AppHost.dll");
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException($"The AppHost is not built for '{Configuration}': run 'dotnet build AppHost -c {Configuration}'.", path);
        }
    }

    /// <summary>The silo host dll of the same configuration.</summary>
    public static string SiloHostDll => SiloHostBuild.LocateDll(Configuration);

    /// <summary><c>src/BeneficialRL.Perf/bin/{Configuration}/net10.0/BeneficialRL.Perf.dll</c>, checked to exist.</summary>
    public static string BenchDll
    {
        get
        {
            var path = Path.Combine(RepositoryLayout.FindRoot(), "src", "BeneficialRL.Perf", "bin", Configuration, "net10.0", "BeneficialRL.Perf.dll");
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException($"The perf harness is not built for '{Configuration}': run 'dotnet build src/BeneficialRL.Perf -c {Configuration}'.", path);
        }
    }
}
