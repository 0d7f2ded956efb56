using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
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

            var children = ProcessTable.OfAppHostRun(appHost.Id);
            Assert.Contains(children, p => p.CommandLine.Contains("azurite", StringComparison.Ordinal));
            Assert.Contains(children, p => p.CommandLine.Contains("BeneficialRL.SiloHost", StringComparison.Ordinal));
            Assert.Contains(children, p => p.CommandLine.Contains("Aspire.Dashboard", StringComparison.Ordinal));
            Assert.Contains(children, p => p.CommandLine.Contains("dcp start-apiserver", StringComparison.Ordinal));

            var keyPath = Path.Combine(dataDirectory, LocalApiKey.FileName);
            var key = (await File.ReadAllTextAsync(keyPath, cancellationToken)).Trim();
            Assert.True(LocalApiKey.IsWellFormed(key), $"'{keyPath}' holds a malformed key.");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));

            // The API may have moved off the requested port if another process took it first; the AppHost says where.
            using var http = new HttpClient { BaseAddress = ApiBaseAddress(output) };
            Assert.Contains(output.Lines, line => DashboardLoginLine().IsMatch(line));
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
            // DCP stops every resource before the AppHost exits (WaitForResourceCleanup); DCP itself then exits on its own.
            Assert.DoesNotContain(children.Where(p => !p.CommandLine.Contains("dcp", StringComparison.Ordinal)), ProcessTable.IsAlive);
            await WaitForExitAsync(children, TimeSpan.FromSeconds(30), cancellationToken);
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
            var children = ProcessTable.OfAppHostRun(appHost.Id);
            // The silo host itself, not the "dotnet run" that DCP started it with.
            var silo = children.Single(p => p.CommandLine.Contains("BeneficialRL.SiloHost", StringComparison.Ordinal) && !p.CommandLine.Contains("dotnet run", StringComparison.Ordinal));

            using (var process = Process.GetProcessById(silo.Id))
            {
                process.Kill(); // SIGKILL: a crash, not a stop.
            }

            Assert.Equal(1, await exited.WaitAsync(TimeSpan.FromMinutes(1), cancellationToken));
            Assert.Contains(output.Lines, line => line.Contains("silo-api exited unexpectedly with exit code", StringComparison.Ordinal));
            Assert.DoesNotContain(children.Where(p => !p.CommandLine.Contains("dcp", StringComparison.Ordinal)), ProcessTable.IsAlive);
            await WaitForExitAsync(children, TimeSpan.FromSeconds(30), cancellationToken);
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
        var panel = output.Lines.Select(line => ApiBaseUrlLine().Match(line)).LastOrDefault(match => match.Success)
            ?? throw new InvalidOperationException("The AppHost never printed 'API base URL … /api/v1'.");
        return new Uri(panel.Groups["url"].Value + "/");
    }

    /// <summary>Waits until DCP's own processes have exited (they do once the resources are gone).</summary>
    private static async Task WaitForExitAsync(IReadOnlyList<ProcessTable.Entry> processes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (processes.Any(ProcessTable.IsAlive) && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        Assert.DoesNotContain(processes, ProcessTable.IsAlive);
    }

    [GeneratedRegex(@"API base URL\s+(?<url>http://\S+?)/api/v1")]
    private static partial Regex ApiBaseUrlLine();

    [GeneratedRegex(@"Aspire dashboard\s+http://localhost:\d+/login\?t=\S+")]
    private static partial Regex DashboardLoginLine();

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
