using System.Reflection;

namespace BeneficialRL.LocalInfrastructure;

/// <summary>Finds the built silo host, so every launcher starts the same build the caller was built with.</summary>
public static class SiloHostBuild
{
    /// <summary>File name of the silo host assembly.</summary>
    public const string AssemblyFileName = "BeneficialRL.SiloHost.dll";

    /// <summary>The build configuration (<c>Debug</c>, <c>Release</c>) this library (and so its caller) was built with.</summary>
    public static string BuildConfiguration =>
        typeof(SiloHostBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == "Configuration")?.Value
        ?? throw new InvalidOperationException("BeneficialRL.LocalInfrastructure carries no 'Configuration' metadata: build it with dotnet build.");

    /// <summary>
    /// <c>{root}/src/BeneficialRL.SiloHost/bin/{configuration}/net10.0/BeneficialRL.SiloHost.dll</c>, checked to exist.
    /// </summary>
    /// <exception cref="FileNotFoundException">The silo host has not been built in <paramref name="configuration"/>.</exception>
    public static string LocateDll(string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        var path = Path.Combine(RepositoryLayout.FindRoot(), "src", "BeneficialRL.SiloHost", "bin", configuration, "net10.0", AssemblyFileName);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"The silo host is not built for configuration '{configuration}': run 'dotnet build src/BeneficialRL.SiloHost -c {configuration}'.", path);
    }
}
