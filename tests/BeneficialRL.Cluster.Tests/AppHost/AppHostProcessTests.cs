using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using BeneficialRL.AppHost.Keys;
using BeneficialRL.AppHost.Terminal;
using BeneficialRL.Cluster.Tests.Infrastructure;
using BeneficialRL.LocalInfrastructure;

namespace BeneficialRL.Cluster.Tests.AppHost;

/// <summary>The built AppHost run as a user runs it: a child process, stopped with SIGTERM.</summary>
[Trait("Category", "Integration")]
[SupportedOSPlatform("linux")]
public sealed partial class AppHostProcessTests
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task AppHost_RunUntilSigterm_ServesApiThenStopsEveryChildWithExitCodeZero()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var dataDirectory = Directory.CreateTempSubdirectory("beneficialrl-apphost-").FullName;
        var port = FreePorts.Next();
        var output = new OutputLog("apphost");
        await using var appHost = ChildProcess.Start(
            "dotnet",
            [TestBuild.AppHostDll, "--port", port.ToString(CultureInfo.InvariantCulture), "--data-dir", dataDirectory, "--experiment", "none"],
            new Dictionary<string, string?>(),
            workingDirectory: null,
            output.Add);
        var exited = appHost.WaitForExitAsync(CancellationToken.None);
        try
        {
            await output.WaitForLineAsync(ReadySummary.ReadyLine, ReadyTimeout, exited, cancellationToken);

            var children = ProcessTable.Descendants(appHost.Id);
            Assert.Contains(children, p => p.CommandLine.Contains("azurite", StringComparison.Ordinal));
            Assert.Contains(children, p => p.CommandLine.Contains("BeneficialRL.SiloHost", StringComparison.Ordinal));

            var keyPath = Path.Combine(dataDirectory, LocalApiKey.FileName);
            var key = (await File.ReadAllTextAsync(keyPath, cancellationToken)).Trim();
            Assert.True(LocalApiKey.IsWellFormed(key), $"'{keyPath}' holds a malformed key.");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));

            // The silo may have moved off the requested port if another process took it first; the AppHost says where.
            using var http = new HttpClient { BaseAddress = ApiBaseAddress(output) };
            using (var ready = await http.GetAsync("health/ready", cancellationToken))
            {
                Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            }

            using (var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/experiments"))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                using var experiments = await http.SendAsync(request, cancellationToken);
                Assert.Equal(HttpStatusCode.OK, experiments.StatusCode);
            }

            // SIGTERM with a grace far longer than the AppHost's own stop sequence: a kill would show as exit code 137.
            await appHost.StopAsync(TimeSpan.FromSeconds(90));
            Assert.Equal(0, await exited);
            Assert.DoesNotContain(children, ProcessTable.IsAlive);
            Assert.Contains(output.Lines, line => line.Contains("every resource is stopped", StringComparison.Ordinal));
        }
        finally
        {
            await appHost.StopAsync(TimeSpan.FromSeconds(5));
            TryDelete(dataDirectory);
        }
    }

    [Fact]
    public async Task AppHost_SiloKilled_ReportsTheSiloAndExitCodeThenStopsTheRestWithExitCodeOne()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var dataDirectory = Directory.CreateTempSubdirectory("beneficialrl-apphost-").FullName;
        var output = new OutputLog("apphost");
        await using var appHost = ChildProcess.Start(
            "dotnet",
            [TestBuild.AppHostDll, "--port", FreePorts.Next().ToString(CultureInfo.InvariantCulture), "--data-dir", dataDirectory, "--experiment", "none"],
            new Dictionary<string, string?>(),
            workingDirectory: null,
            output.Add);
        var exited = appHost.WaitForExitAsync(CancellationToken.None);
        try
        {
            await output.WaitForLineAsync(ReadySummary.ReadyLine, ReadyTimeout, exited, cancellationToken);
            var children = ProcessTable.Descendants(appHost.Id);
            var silo = children.Single(p => p.CommandLine.Contains("BeneficialRL.SiloHost", StringComparison.Ordinal));

            using (var process = Process.GetProcessById(silo.Id))
            {
                process.Kill(); // SIGKILL: a crash, not a stop.
            }

            Assert.Equal(1, await exited.WaitAsync(TimeSpan.FromMinutes(1), cancellationToken));
            Assert.Contains(output.Lines, line => line.Contains($"silo-api (pid {silo.Id}) exited unexpectedly with exit code 137", StringComparison.Ordinal));
            Assert.DoesNotContain(children, ProcessTable.IsAlive);
        }
        finally
        {
            await appHost.StopAsync(TimeSpan.FromSeconds(5));
            TryDelete(dataDirectory);
        }
    }

    [Fact]
    public async Task AppHost_QuickExperimentWithExitWhenDone_RunsItThroughTheApiPrintsTheHeadlineAndSavesTheReport()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var dataDirectory = Directory.CreateTempSubdirectory("beneficialrl-apphost-").FullName;
        var output = new OutputLog("apphost");
        await using var appHost = ChildProcess.Start(
            "dotnet",
            [TestBuild.AppHostDll, "--port", FreePorts.Next().ToString(CultureInfo.InvariantCulture), "--data-dir", dataDirectory, "--experiment", "quick", "--exit-when-done"],
            new Dictionary<string, string?>(),
            workingDirectory: null,
            output.Add);
        try
        {
            var exitCode = await appHost.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromMinutes(12), cancellationToken);

            Assert.True(exitCode == 0, $"exit code {exitCode}; last output:\n{string.Join('\n', output.Lines.TakeLast(40))}");
            Assert.Contains(output.Lines, line => line.Contains("Stage training started", StringComparison.Ordinal));
            Assert.Contains(output.Lines, line => line.Contains("Primary endpoints", StringComparison.Ordinal));
            Assert.Contains(output.Lines, line => line.Contains("Item-level headline", StringComparison.Ordinal));
            Assert.Contains(output.Lines, line => line.Contains("treatment", StringComparison.Ordinal) && line.Contains('[', StringComparison.Ordinal));
            var saved = output.Lines.Select(line => SavedReportLine().Match(line)).Last(match => match.Success).Groups["path"].Value;
            Assert.StartsWith(dataDirectory, saved, StringComparison.Ordinal);
            Assert.Contains("<html", await File.ReadAllTextAsync(saved, cancellationToken), StringComparison.OrdinalIgnoreCase);
            Assert.Contains(output.Lines, line => line.Contains("every resource is stopped", StringComparison.Ordinal));
        }
        finally
        {
            await appHost.StopAsync(TimeSpan.FromSeconds(5));
            TryDelete(dataDirectory);
        }
    }

    [Fact]
    public async Task AppHost_UnknownExperimentPreset_ExitsWithUsageErrorBeforeStartingAnything()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var dataDirectory = Path.Combine(Path.GetTempPath(), "beneficialrl-apphost-" + Guid.NewGuid().ToString("N"));
        var output = new OutputLog("apphost");
        await using var appHost = ChildProcess.Start(
            "dotnet",
            [TestBuild.AppHostDll, "--experiment", "no-such-preset", "--data-dir", dataDirectory],
            new Dictionary<string, string?>(),
            workingDirectory: null,
            output.Add);

        var exitCode = await appHost.WaitForExitAsync(cancellationToken);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(output.Lines, line => line.Contains("no-such-preset", StringComparison.Ordinal));
        Assert.False(Directory.Exists(dataDirectory), "The AppHost created its data directory although the command line was invalid.");
    }

    private static Uri ApiBaseAddress(OutputLog output)
    {
        var started = output.Lines.Select(line => StartedSiloLine().Match(line)).LastOrDefault(match => match.Success)
            ?? throw new InvalidOperationException("The AppHost never logged 'started silo-api (pid …, http …)'.");
        return new Uri(started.Groups["url"].Value);
    }

    [GeneratedRegex(@"started silo-api \(pid \d+, roles \S+, http (?<url>\S+),")]
    private static partial Regex StartedSiloLine();

    [GeneratedRegex(@"report saved to (?<path>\S+)")]
    private static partial Regex SavedReportLine();

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }
}
