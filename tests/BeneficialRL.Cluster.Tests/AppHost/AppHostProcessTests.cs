using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.Versioning;
using System.Text.Json;
using System.Text.RegularExpressions;
using BeneficialRL.AppHost.Options;
using BeneficialRL.AppHost.Terminal;
using BeneficialRL.Cluster.Tests.Infrastructure;
using BeneficialRL.LocalInfrastructure;
using Microsoft.Extensions.Hosting;

namespace BeneficialRL.Cluster.Tests.AppHost;

/// <summary>The built AppHost run as a user runs it: a child process, stopped with SIGTERM.</summary>
[Trait("Category", "Integration")]
[SupportedOSPlatform("linux")]
public sealed partial class AppHostProcessTests
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task AppHost_RunUntilSigterm_ServesApiSendsTelemetryToTheDashboardThenStopsEveryChildWithExitCodeZero()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var dataDirectory = Directory.CreateTempSubdirectory("beneficialrl-apphost-").FullName;
        var port = FreePorts.Next();
        var output = new OutputLog("apphost");
        // The Aspire dashboard's telemetry HTTP API answers to this key (Aspire passes AppHost:DashboardApiKey on to it).
        var dashboardApiKey = Guid.NewGuid().ToString("N");
        await using var appHost = ChildProcess.Start(
            "dotnet",
            [TestBuild.AppHostDll, "--port", port.ToString(CultureInfo.InvariantCulture), "--data-dir", dataDirectory, "--experiment", "none"],
            new Dictionary<string, string?> { ["AppHost__DashboardApiKey"] = dashboardApiKey },
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
            AssertDefaultTopology(children);
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

            await AssertTelemetryArrivesAsync(DashboardOrigin(output), dashboardApiKey, cancellationToken);

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

    /// <summary>
    /// The default topology: an API silo and one trainer silo per core (up to four), each trainer told its share of the
    /// cores for libtorch; one silo with both roles on a one-core machine.
    /// </summary>
    private static void AssertDefaultTopology(IReadOnlyList<ProcessTable.Entry> children)
    {
        var silos = SiloHosts(children).Select(s => s.Environment).ToList();
        var trainers = AppHostOptions.DefaultTrainers(System.Environment.ProcessorCount);
        Assert.Equal(1 + trainers, silos.Count);
        var expectedThreads = trainers == 0 ? null : AppHostOptions.TorchThreadsPerTrainer(System.Environment.ProcessorCount, trainers).ToString(CultureInfo.InvariantCulture);
        Assert.Equal(trainers, silos.Count(env => env.GetValueOrDefault("Silo__Roles") == "trainer"));
        Assert.All(silos, env => Assert.Equal(env.GetValueOrDefault("Silo__Roles") == "trainer" ? expectedThreads : null, env.GetValueOrDefault("Silo__TorchThreads")));
    }

    /// <summary>The silo host processes of an AppHost run (not the <c>dotnet run</c> that DCP starts each with), with their environment.</summary>
    private static List<(ProcessTable.Entry Process, Dictionary<string, string> Environment)> SiloHosts(IReadOnlyList<ProcessTable.Entry> children) =>
        [.. children.Where(p => p.CommandLine.Contains("BeneficialRL.SiloHost", StringComparison.Ordinal) && !p.CommandLine.Contains("dotnet run", StringComparison.Ordinal))
            .Select(p => (p, File.ReadAllText($"/proc/{p.Id}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries)
                .Select(entry => entry.Split('=', 2)).Where(pair => pair.Length == 2).GroupBy(pair => pair[0]).ToDictionary(g => g.Key, g => g.Last()[1])))];

    /// <summary>
    /// Ctrl+C typed in a real terminal: the AppHost runs on a pseudo-terminal (util-linux's <c>script</c>), and the
    /// ETX byte written to the terminal makes its line discipline send SIGINT to the foreground process group, as a
    /// keyboard does. perl restores SIGINT's default first: a test runner started in the background (<c>cmd &amp;</c>)
    /// passes SIGINT down ignored, which no user's terminal does.
    /// </summary>
    [Fact]
    public async Task AppHost_CtrlCInATerminal_StopsEveryChildWithExitCodeZero()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var dataDirectory = Directory.CreateTempSubdirectory("beneficialrl-apphost-").FullName;
        var output = new OutputLog("apphost");
        var command = $"exec dotnet '{TestBuild.AppHostDll}' --port {FreePorts.Next().ToString(CultureInfo.InvariantCulture)} --data-dir '{dataDirectory}' --experiment none";
        var start = new ProcessStartInfo("perl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-e", "$SIG{INT} = $SIG{QUIT} = 'DEFAULT'; exec @ARGV or die $!", "script", "-qfec", command, "/dev/null"])
        {
            start.ArgumentList.Add(argument);
        }

        using var terminal = Process.Start(start) ?? throw new InvalidOperationException("perl did not start.");
        terminal.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.Add(e.Data); } };
        terminal.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Add(e.Data); } };
        terminal.BeginOutputReadLine();
        terminal.BeginErrorReadLine();
        var exited = terminal.WaitForExitAsync(CancellationToken.None);
        IReadOnlyList<ProcessTable.Entry> run = [];
        try
        {
            await output.WaitForLineAsync(ReadySummary.ReadyLine, ReadyTimeout, exited, cancellationToken);
            var appHost = ProcessTable.Descendants(terminal.Id).Single(p => p.CommandLine.Contains("BeneficialRL.AppHost.dll", StringComparison.Ordinal));
            run = ProcessTable.OfAppHostRun(appHost.Id);
            Assert.Contains(run, p => p.CommandLine.Contains("BeneficialRL.SiloHost", StringComparison.Ordinal));

            await terminal.StandardInput.WriteAsync("\u0003");
            await terminal.StandardInput.FlushAsync(cancellationToken);

            // script exits with the status of the command it ran.
            Assert.Equal(0, await exited.WaitAsync(TimeSpan.FromSeconds(90), cancellationToken).ContinueWith(_ => terminal.ExitCode, TaskScheduler.Default));
            Assert.Contains(output.Lines, line => line.Contains("every resource is stopped", StringComparison.Ordinal));
            Assert.DoesNotContain(run.Where(p => !p.CommandLine.Contains("dcp", StringComparison.Ordinal)), ProcessTable.IsAlive);
            await WaitForExitAsync(run, TimeSpan.FromSeconds(30), cancellationToken);
        }
        finally
        {
            if (!terminal.HasExited)
            {
                terminal.Kill(entireProcessTree: true);
            }

            foreach (var process in run.Where(ProcessTable.IsAlive))
            {
                try
                {
                    using var leftover = Process.GetProcessById(process.Id);
                    leftover.Kill(entireProcessTree: true);
                }
                catch (ArgumentException)
                {
                    // Exited in between.
                }
            }

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
            var silo = SiloHosts(children).Single(s => s.Environment.GetValueOrDefault("Silo__Name") == "silo-api").Process;

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
    public async Task AppHost_QuickExperimentWithATrainerSiloAndExitWhenDone_RunsItThroughTheApiPrintsTheHeadlineAndSavesTheReport()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var dataDirectory = Directory.CreateTempSubdirectory("beneficialrl-apphost-").FullName;
        var output = new OutputLog("apphost");
        await using var appHost = ChildProcess.Start(
            "dotnet",
            [TestBuild.AppHostDll, "--port", FreePorts.Next().ToString(CultureInfo.InvariantCulture), "--data-dir", dataDirectory, "--experiment", "quick", "--exit-when-done", "--trainers", "1"],
            new Dictionary<string, string?>(),
            workingDirectory: null,
            output.Add);
        try
        {
            var exitCode = await appHost.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromMinutes(12), cancellationToken);

            Assert.True(exitCode == 0, $"exit code {exitCode}; last output:\n{string.Join('\n', output.Lines.TakeLast(40))}");
            Assert.Contains(output.Lines, line => line.Contains("Silo trainer-1", StringComparison.Ordinal));
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

    /// <summary>
    /// The silo's logs and traces reach the Aspire dashboard over OTLP, read back through the dashboard's telemetry HTTP
    /// API: the API request above as one trace from ASP.NET Core into the Orleans grain call it made, and none of the
    /// runtime's housekeeping traces (<see cref="HousekeepingTraceSampler"/>). The dashboard
    /// has no HTTP API for metrics; the screenshot script shows them (eng/aspire-dashboard-screenshots.sh).
    /// </summary>
    private static async Task AssertTelemetryArrivesAsync(Uri dashboard, string apiKey, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = dashboard };
        http.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        var spans = new List<(string Scope, string Name, string TraceId, bool Root)>();
        var logs = 0;
        // Exporters send in batches (traces every 5 s by default): wait for the batch, not for a fixed time.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(1));
        while (!deadline.IsCancellationRequested)
        {
            spans = await ReadSpansAsync(http, deadline.Token);
            logs = await CountAsync(http, "api/telemetry/logs?resource=silo-api&limit=1000", "resourceLogs", "scopeLogs", "logRecords", deadline.Token);
            if (logs > 0 && spans.Any(s => s.Name.StartsWith("GET /api/v1/experiments", StringComparison.Ordinal)))
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), deadline.Token);
        }

        Assert.True(logs > 0, "no structured log of silo-api reached the Aspire dashboard");
        var request = Assert.Single(spans, s => s.Name.StartsWith("GET /api/v1/experiments", StringComparison.Ordinal));
        Assert.Equal("Microsoft.AspNetCore", request.Scope);
        Assert.Contains(spans, s => s.TraceId == request.TraceId && s.Scope.StartsWith("Microsoft.Orleans", StringComparison.Ordinal));
        Assert.DoesNotContain(spans, s => s.Root && HousekeepingTraceSampler.HousekeepingSpanNames.Contains(s.Name));
    }

    private static async Task<List<(string Scope, string Name, string TraceId, bool Root)>> ReadSpansAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var document = await ReadTelemetryAsync(http, "api/telemetry/spans?resource=silo-api&limit=5000", cancellationToken);
        if (document is null)
        {
            return [];
        }

        return [.. from resource in document.RootElement.GetProperty("data").GetProperty("resourceSpans").EnumerateArray()
                   from scope in resource.GetProperty("scopeSpans").EnumerateArray()
                   from span in scope.GetProperty("spans").EnumerateArray()
                   select (scope.GetProperty("scope").GetProperty("name").GetString()!, span.GetProperty("name").GetString()!, span.GetProperty("traceId").GetString()!,
                           Root: !span.TryGetProperty("parentSpanId", out var parent) || string.IsNullOrEmpty(parent.GetString()))];
    }

    private static async Task<int> CountAsync(HttpClient http, string path, string resources, string scopes, string records, CancellationToken cancellationToken)
    {
        using var document = await ReadTelemetryAsync(http, path, cancellationToken);
        return document is null ? 0 : document.RootElement.GetProperty("data").GetProperty(resources).EnumerateArray()
            .SelectMany(r => r.GetProperty(scopes).EnumerateArray())
            .Sum(s => s.GetProperty(records).GetArrayLength());
    }

    /// <summary>The dashboard's answer, or null while it has had nothing from the resource yet (it answers 404 then).</summary>
    private static async Task<JsonDocument?> ReadTelemetryAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private static Uri DashboardOrigin(OutputLog output)
    {
        var login = output.Lines.Select(line => DashboardLoginLine().Match(line)).LastOrDefault(match => match.Success)
            ?? throw new InvalidOperationException("The AppHost never printed the Aspire dashboard's login URL.");
        return new Uri(new Uri(login.Groups["url"].Value).GetLeftPart(UriPartial.Authority) + "/");
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

    [GeneratedRegex(@"Aspire dashboard\s+(?<url>http://localhost:\d+/login\?t=\S+)")]
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
