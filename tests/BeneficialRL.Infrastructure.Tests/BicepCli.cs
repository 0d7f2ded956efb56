using System.Diagnostics;

namespace BeneficialRL.Infrastructure.Tests;

/// <summary>Runs the bicep CLI restored from NuGet (no Azure account, no network: build and lint are local).</summary>
internal static class BicepCli
{
    /// <summary>The outcome of one bicep command.</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        /// <summary>Diagnostic lines (<c>file(line,col) : Error|Warning CODE: message</c>) of the given level.</summary>
        public IReadOnlyList<string> Diagnostics(string level) =>
            [.. (StandardOutput + "\n" + StandardError).Split('\n')
                .Select(line => line.TrimEnd('\r'))
                .Where(line => line.Contains($" : {level} ", StringComparison.Ordinal))];
    }

    /// <summary>Runs <c>bicep</c> with <paramref name="arguments"/> in <c>infra/</c> and waits for it to exit.</summary>
    public static async Task<Result> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var bicep = RepositoryPaths.Bicep;
        if (!File.Exists(bicep))
        {
            throw new FileNotFoundException($"The bicep CLI is not at {bicep}: restore the test project (PackageReference Azure.Bicep.CommandLine.linux-x64).", bicep);
        }

        EnsureExecutable(bicep);
        var start = new ProcessStartInfo(bicep)
        {
            WorkingDirectory = RepositoryPaths.Infra,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // No telemetry, and no first-run banner: the CLI runs in CI with no one to read it.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {bicep}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', start.ArgumentList)} did not exit within 3 minutes.");
        }

        return new Result(process.ExitCode, await output, await error);
    }

    // NuGet extracts the package's files without the executable bit on some machines.
    private static void EnsureExecutable(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        var mode = File.GetUnixFileMode(path);
        if (!mode.HasFlag(UnixFileMode.UserExecute)) File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute);
    }
}
