namespace BeneficialRL.LocalInfrastructure;

/// <summary>Makes sure a command from a Debian package (wrk, for the API load benchmark) is installed before it is started.</summary>
public static class DebianPackages
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    /// <summary>
    /// Returns at once when <paramref name="command"/> is on PATH. Otherwise, running as root, installs
    /// <paramref name="package"/> with <c>apt-get install -y</c>; not root, throws saying exactly what to run.
    /// </summary>
    /// <exception cref="InvalidOperationException">The command is missing and cannot be installed here, or apt-get failed.</exception>
    public static async Task EnsureInstalledAsync(string command, string package, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ArgumentException.ThrowIfNullOrWhiteSpace(package);
        if (ExecutableSearch.FindOnPath(command) is not null)
        {
            return;
        }

        var aptGet = ExecutableSearch.FindOnPath("apt-get");
        if (!UnixSignals.IsRoot || aptGet is null)
        {
            throw new InvalidOperationException(
                $"{command} not found: install it with 'sudo apt-get install -y {package}' (Debian/Ubuntu) and run again.");
        }

        await InstallGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (ExecutableSearch.FindOnPath(command) is not null)
            {
                return;
            }

            var environment = new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" };
            log?.Invoke($"{command} not found: installing the Debian package {package}");
            // The package lists may be empty on a fresh image; the lock timeout waits for another apt-get.
            await RunAptGetAsync(aptGet, ["-o", "DPkg::Lock::Timeout=120", "update", "-qq"], environment, package, log, cancellationToken).ConfigureAwait(false);
            await RunAptGetAsync(
                aptGet,
                ["-o", "DPkg::Lock::Timeout=120", "install", "-y", "-qq", "--no-install-recommends", package],
                environment,
                package,
                log,
                cancellationToken).ConfigureAwait(false);

            if (ExecutableSearch.FindOnPath(command) is null)
            {
                throw new InvalidOperationException($"apt-get installed {package} but {command} is still not on PATH.");
            }
        }
        finally
        {
            InstallGate.Release();
        }
    }

    private static async Task RunAptGetAsync(
        string aptGet,
        string[] arguments,
        IReadOnlyDictionary<string, string?> environment,
        string package,
        Action<string>? log,
        CancellationToken cancellationToken)
    {
        var (exitCode, outputTail) = await CommandRunner.RunAsync(aptGet, arguments, environment, log, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"apt-get {string.Join(' ', arguments)} failed (exit code {exitCode}) while installing {package}: {outputTail}");
        }
    }
}
