using System.Text.Json;

namespace BeneficialRL.LocalInfrastructure;

/// <summary>
/// Installs the pinned Azurite (the real Azure Storage emulator) into <c>{root}/.tools/azurite</c> with npm,
/// so tests, benchmarks and the AppHost all run the same version without a global install.
/// </summary>
public static class AzuriteInstaller
{
    /// <summary>The pinned Azurite version. eng/test.sh reads this line with sed: keep its form.</summary>
    public const string AzuriteVersion = "3.37.0";

    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    /// <summary><c>{root}/.tools/azurite</c>, the npm prefix Azurite is installed under.</summary>
    public static string InstallDirectory => Path.Combine(RepositoryLayout.ToolsDirectory, "azurite");

    /// <summary>
    /// Installs <c>azurite@<see cref="AzuriteVersion"/></c> with <c>npm install --prefix {root}/.tools/azurite</c>
    /// when it is missing or another version, and returns the path of its JavaScript entry point (the
    /// package's <c>azurite</c> bin), to be started as <c>node &lt;entry&gt;</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">node or npm is missing, or npm failed (its output tail is in the message).</exception>
    public static async Task<string> EnsureInstalledAsync(Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        var installDirectory = InstallDirectory;
        await InstallGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (TryFindEntryPoint(installDirectory) is { } installed)
            {
                return installed;
            }

            _ = ExecutableSearch.FindOnPath("node")
                ?? throw new InvalidOperationException("node not found: install Node.js (e.g. 'apt-get install nodejs npm') to run Azurite.");
            var npm = ExecutableSearch.FindOnPath("npm")
                ?? throw new InvalidOperationException("npm not found: install Node.js with npm (e.g. 'apt-get install nodejs npm') to install Azurite.");

            Directory.CreateDirectory(installDirectory);
            // A file lock too, because a test run and the AppHost may install at the same moment.
            using var crossProcessLock = await AcquireFileLockAsync(Path.Combine(installDirectory, ".install.lock"), cancellationToken).ConfigureAwait(false);
            if (TryFindEntryPoint(installDirectory) is { } installedMeanwhile)
            {
                return installedMeanwhile;
            }

            log?.Invoke($"installing azurite@{AzuriteVersion} into {installDirectory}");
            var (exitCode, outputTail) = await CommandRunner.RunAsync(
                npm,
                ["install", "--prefix", installDirectory, "--no-audit", "--no-fund", "--loglevel=error", $"azurite@{AzuriteVersion}"],
                environment: null,
                log,
                cancellationToken).ConfigureAwait(false);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"npm install azurite@{AzuriteVersion} failed (exit code {exitCode}): {outputTail}");
            }

            return TryFindEntryPoint(installDirectory)
                ?? throw new InvalidOperationException(
                    $"npm install azurite@{AzuriteVersion} succeeded but {PackageJsonPath(installDirectory)} does not name version {AzuriteVersion} with an 'azurite' bin.");
        }
        finally
        {
            InstallGate.Release();
        }
    }

    private static string PackageJsonPath(string installDirectory) =>
        Path.Combine(installDirectory, "node_modules", "azurite", "package.json");

    /// <summary>The entry point when the pinned version is installed; null when missing, another version or unreadable.</summary>
    private static string? TryFindEntryPoint(string installDirectory)
    {
        var packageJsonPath = PackageJsonPath(installDirectory);
        if (!File.Exists(packageJsonPath))
        {
            return null;
        }

        using var package = JsonDocument.Parse(File.ReadAllText(packageJsonPath));
        var root = package.RootElement;
        if (!root.TryGetProperty("version", out var version) || version.GetString() != AzuriteVersion)
        {
            return null;
        }

        var relativeEntry = root.TryGetProperty("bin", out var bin) && bin.ValueKind == JsonValueKind.Object
            && bin.TryGetProperty("azurite", out var azuriteBin)
                ? azuriteBin.GetString()
                : "dist/src/azurite.js";
        if (string.IsNullOrEmpty(relativeEntry))
        {
            return null;
        }

        var entryPoint = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(packageJsonPath)!, relativeEntry));
        return File.Exists(entryPoint) ? entryPoint : null;
    }

    private static async Task<FileStream> AcquireFileLockAsync(string path, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
