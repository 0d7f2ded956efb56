namespace BeneficialRL.LocalInfrastructure;

/// <summary>Resolves a command name on PATH the way a shell would, so callers can fail with a clear message first.</summary>
internal static class ExecutableSearch
{
    /// <summary>The full path of <paramref name="command"/> on PATH, or null when it is not installed.</summary>
    public static string? FindOnPath(string command)
    {
        if (Path.IsPathRooted(command))
        {
            return File.Exists(command) ? command : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        var extensions = OperatingSystem.IsWindows() ? new[] { ".exe", ".cmd", string.Empty } : [string.Empty];
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var extension in extensions)
            {
                var candidate = Path.Combine(directory, command + extension);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
