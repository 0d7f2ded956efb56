namespace BeneficialRL.LocalInfrastructure;

/// <summary>
/// Finds the repository checkout so local tools (Azurite) are installed once, in one place, whichever
/// process (AppHost, tests, benchmarks) asks first.
/// </summary>
public static class RepositoryLayout
{
    private const string SolutionFileName = "BeneficialRL.sln";

    /// <summary>
    /// Walks up from <paramref name="startDirectory"/> (default: the application base directory, then the
    /// current directory) to the folder holding <c>BeneficialRL.sln</c>.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No ancestor folder holds the solution file.</exception>
    public static string FindRoot(string? startDirectory = null)
    {
        var starts = startDirectory is not null
            ? [startDirectory]
            : new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() };
        foreach (var start in starts)
        {
            for (var directory = new DirectoryInfo(Path.GetFullPath(start)); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, SolutionFileName)))
                {
                    return directory.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException(
            $"No folder above '{string.Join("' or '", starts)}' holds {SolutionFileName}: run from inside the BeneficialRL checkout.");
    }

    /// <summary><c>{root}/.tools</c>: project-local tools that git ignores.</summary>
    public static string ToolsDirectory => Path.Combine(FindRoot(), ".tools");
}
