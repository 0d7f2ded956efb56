using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BeneficialRL.AppHost.Keys;
using BeneficialRL.AppHost.Silos;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.LocalInfrastructure;

namespace BeneficialRL.Bench.Chaos;

/// <summary>
/// Chaos trials on a Redis-clustered cluster of three silos (each api + trainer): every trial runs one short
/// experiment (<c>quick</c>, 8 steps, a checkpoint every 2) and disturbs it once at a random moment — SIGKILL of a
/// random silo, a storage outage (Azurite stopped and started again over its data), or a rolling restart of every
/// silo — and records whether it completed (or failed with a reason), the steps lost beyond the last checkpoint, and
/// whether its metrics and final weights equal an undisturbed run's.
/// Options: <c>--trials &lt;n&gt;</c> (20), <c>--seed &lt;n&gt;</c> (1), <c>--blob-faults</c> (inject 2% 503s, 5% slow
/// calls and 0.2% hangs into every blob call as well).
/// </summary>
public sealed class ChaosBenchmark : IBenchmark
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan TrialTimeout = TimeSpan.FromMinutes(20);
    private static readonly string[] Roles = [SiloRoles.Api, SiloRoles.Trainer];

    /// <inheritdoc />
    public string Name => "chaos";

    /// <inheritdoc />
    public string Description => "Chaos trials: silo kills, storage outages and rolling restarts during short experiments on a 3-silo cluster; completions, steps lost, equal metrics.";

    /// <inheritdoc />
    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var trials = IntOption(args, "--trials", 20);
        var random = new Random(IntOption(args, "--seed", 1));
        var environment = new Dictionary<string, string?>
        {
            ["Recovery__ReminderPeriod"] = "00:00:05",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        if (args.Contains("--blob-faults"))
        {
            environment["Storage__Resilience__AttemptTimeout"] = "00:00:05";
            environment["Storage__Resilience__Chaos__FaultRate"] = "0.02";
            environment["Storage__Resilience__Chaos__LatencyRate"] = "0.05";
            environment["Storage__Resilience__Chaos__TimeoutRate"] = "0.002";
        }

        var data = Directory.CreateTempSubdirectory("chaos-bench-");
        try
        {
            await using var redis = await RedisServer.StartAsync(cancellationToken: cancellationToken);
            await using var azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions { DataDirectory = data.FullName }, cancellationToken);
            await using var cluster = new Cluster(redis, azurite, environment);
            await output.WriteLineAsync("Starting three silos...");
            await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => cluster.StartSiloAsync(cancellationToken)));

            var clock = Stopwatch.StartNew();
            var reference = await cluster.RunAsync(cancellationToken);
            var referenceSeconds = clock.Elapsed.TotalSeconds;
            if (reference.Status != "completed") throw new InvalidOperationException($"The undisturbed run ended {reference.Status}.");
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Undisturbed run: {referenceSeconds:0} s."));

            var rows = new List<TrialResult>();
            var duration = referenceSeconds;
            for (var trial = 1; trial <= trials; trial++)
            {
                var kind = random.NextDouble() switch { < 0.7 => "kill a silo", < 0.85 => "storage outage", _ => "rolling restart" };
                // Drawn over the last trial's length, so the moment falls inside the run as the machine's load changes.
                var after = TimeSpan.FromSeconds(random.NextDouble() * duration * 0.9);
                var result = await cluster.TrialAsync(kind, after, random, reference, cancellationToken);
                rows.Add(result);
                duration = result.Wall.TotalSeconds;
                await output.WriteLineAsync(result.Row(trial));
            }

            await output.WriteLineAsync();
            await output.WriteLineAsync($"{trials} trials, seed {IntOption(args, "--seed", 1)}{(args.Contains("--blob-faults") ? ", blob faults injected" : string.Empty)}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}, load before: {LoadAverage()}:");
            await output.WriteLineAsync();
            await output.WriteLineAsync("| # | disturbance | at | stage then | outcome | steps lost | metrics and weights equal | wall |");
            await output.WriteLineAsync("|---:|---|---:|---|---|---:|---|---:|");
            for (var i = 0; i < rows.Count; i++) await output.WriteLineAsync(rows[i].Row(i + 1));
            var disturbed = rows.Where(r => r.StageThen != Finished).ToList();
            var completed = disturbed.Count(r => r.Status == "completed");
            var equal = disturbed.Count(r => r.Equal);
            await output.WriteLineAsync();
            await output.WriteLineAsync($"Disturbed while running: {disturbed.Count} of {rows.Count} trials ({string.Join(", ", disturbed.GroupBy(r => r.StageThen).Select(g => $"{g.Key} {g.Count()}"))}).");
            await output.WriteLineAsync($"Of those: completed {completed}; cleanly failed {disturbed.Count(r => r.Status == "failed")}; hung {disturbed.Count(r => r.Status == "timeout")}; equal to the undisturbed run {equal}; steps lost: max {disturbed.Select(r => r.StepsLost ?? 0).DefaultIfEmpty().Max()}.");
            return rows.All(r => r.Status == "completed" && r.Equal) ? 0 : 1;
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static int IntOption(IReadOnlyList<string> args, string name, int fallback)
    {
        var index = args.ToList().IndexOf(name);
        return index >= 0 && index + 1 < args.Count ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>What one run produced: its status, the treatment run's step records (wall time aside) and final weights.</summary>
    private sealed record RunResult(string Id, string Status, string? Error, List<string> Metrics, string? FinalSha256);

    /// <summary>The stage recorded for a disturbance that came after the experiment had already ended.</summary>
    private const string Finished = "(finished)";

    private sealed record TrialResult(string Kind, TimeSpan After, string StageThen, string Status, string? Error, long? StepsLost, bool Equal, TimeSpan Wall)
    {
        public string Row(int number) => string.Create(
            CultureInfo.InvariantCulture,
            $"| {number} | {Kind} | {After.TotalSeconds:0} s | {StageThen} | {Status}{(Error is null ? string.Empty : $" ({Error})")} | {(StepsLost is { } lost ? lost.ToString(CultureInfo.InvariantCulture) : "—")} | {(Equal ? "yes" : "no")} | {Wall.TotalSeconds:0} s |");
    }

    /// <summary>The silos of the trials; a killed silo is replaced by a new one so three keep running.</summary>
    private sealed class Cluster(RedisServer redis, AzuriteServer azurite, Dictionary<string, string?> environment) : IAsyncDisposable
    {
        private readonly string _clusterId = "chaos-" + Guid.NewGuid().ToString("N")[..12];
        private readonly string _apiKey = LocalApiKey.Generate();
        private readonly List<SiloProcess> _live = [];
        private readonly List<SiloProcess> _all = [];
        private int _next;

        private static ExperimentDefinition Definition()
        {
            var quick = ExperimentPresets.Get("quick");
            return quick with
            {
                Name = "chaos",
                Budget = quick.Budget with { Steps = 8, CheckpointEvery = 2 },
                Evaluation = quick.Evaluation with { Suites = [EvaluationSuites.HeldOut], CheckpointItemsPerTrait = 1 },
            };
        }

        public async Task<SiloProcess> StartSiloAsync(CancellationToken cancellationToken)
        {
            var name = $"node-{Interlocked.Increment(ref _next)}";
            var settings = SiloLaunchSettings.WithFreePorts(name, Roles, azurite.ConnectionString) with
            {
                RedisConnectionString = redis.ConnectionString,
                ClusterId = _clusterId,
                ServiceId = _clusterId,
                BootstrapAdminKey = _apiKey,
                AdditionalEnvironment = environment,
            };
            var silo = await SiloProcess.StartAndWaitUntilReadyAsync(
                settings, SiloHostBuild.LocateDll(SiloHostBuild.AppHostConfiguration), _ => { }, ReadyTimeout, onStarted: null, onRestart: _ => { }, cancellationToken);
            lock (_live)
            {
                _live.Add(silo);
                _all.Add(silo);
            }

            return silo;
        }

        /// <summary>Runs the experiment undisturbed.</summary>
        public async Task<RunResult> RunAsync(CancellationToken cancellationToken) =>
            await FinishAsync(await CreateAsync(cancellationToken), cancellationToken);

        /// <summary>Runs the experiment and disturbs it once, <paramref name="after"/> its creation.</summary>
        public async Task<TrialResult> TrialAsync(string kind, TimeSpan after, Random random, RunResult reference, CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            var id = await CreateAsync(cancellationToken);
            await Task.Delay(after, cancellationToken);
            var stageThen = await StageAsync(id, cancellationToken);
            long? stepsLost = null;
            switch (kind)
            {
                case "kill a silo":
                    SiloProcess victim;
                    lock (_live) victim = _live[random.Next(_live.Count)];
                    stepsLost = await StepsSinceCheckpointAsync(id, victim.Settings.Name, cancellationToken);
                    victim.Kill();
                    await victim.Exited;
                    lock (_live) _live.Remove(victim);
                    await StartSiloAsync(cancellationToken);
                    break;
                case "storage outage":
                    await azurite.RestartAsync(TimeSpan.FromSeconds(5), cancellationToken);
                    break;
                default:
                    foreach (var silo in _live.ToList())
                    {
                        await silo.StopAsync(TimeSpan.FromSeconds(30));
                        lock (_live) _live.Remove(silo);
                        await StartSiloAsync(cancellationToken);
                    }

                    break;
            }

            var run = await FinishAsync(id, cancellationToken);
            var equal = run.Status == "completed" && run.FinalSha256 == reference.FinalSha256 && run.Metrics.SequenceEqual(reference.Metrics);
            return new TrialResult(kind, after, stageThen, run.Status, run.Error, stepsLost, equal, clock.Elapsed);
        }

        /// <summary>The stage the experiment is in, or <see cref="Finished"/> once it ended.</summary>
        private async Task<string> StageAsync(string id, CancellationToken cancellationToken)
        {
            using var http = Http();
            using var experiment = JsonDocument.Parse(await http.GetStringAsync($"api/v1/experiments/{id}", cancellationToken));
            if (experiment.RootElement.GetProperty("status").GetString() is "completed" or "failed" or "cancelled") return Finished;
            return experiment.RootElement.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()).LastOrDefault() ?? "queued";
        }

        /// <summary>Steps the victim's running training jobs made since their last checkpoint: work a kill throws away.</summary>
        private async Task<long?> StepsSinceCheckpointAsync(string id, string victim, CancellationToken cancellationToken)
        {
            using var http = Http();
            using var response = await http.GetAsync($"api/v1/experiments/{id}/jobs", cancellationToken);
            if (!response.IsSuccessStatusCode) return null;
            using var jobs = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            return jobs.RootElement.EnumerateArray()
                .Where(j => j.GetProperty("status").GetString() == "running" && j.GetProperty("worker").GetString() == victim
                    && j.GetProperty("name").GetString()!.StartsWith("train.", StringComparison.Ordinal))
                .Sum(j => j.GetProperty("done").GetInt64() - (j.TryGetProperty("lastCheckpointStep", out var step) && step.ValueKind == JsonValueKind.Number ? step.GetInt64() : 0));
        }

        private HttpClient Http()
        {
            SiloProcess silo;
            lock (_live) silo = _live[0];
            var http = new HttpClient { BaseAddress = silo.Settings.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
            return http;
        }

        private async Task<string> CreateAsync(CancellationToken cancellationToken)
        {
            using var http = Http();
            var body = new JsonObject { ["definition"] = JsonNode.Parse(ExperimentJson.Serialize(Definition())) };
            using var response = await http.PostAsJsonAsync("api/v1/experiments", body, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST api/v1/experiments answered {(int)response.StatusCode}: {text}");
            return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
        }

        /// <summary>Waits for the end (requests that fail while grains move are retried) and collects the results.</summary>
        private async Task<RunResult> FinishAsync(string id, CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TrialTimeout)
            {
                try
                {
                    using var http = Http();
                    using var response = await http.GetAsync($"api/v1/experiments/{id}", cancellationToken);
                    if (response.IsSuccessStatusCode)
                    {
                        var experiment = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement;
                        var status = experiment.GetProperty("status").GetString()!;
                        if (status is "failed" or "cancelled") return new RunResult(id, status, experiment.TryGetProperty("error", out var error) ? error.GetString() : null, [], null);
                        if (status == "completed") return new RunResult(id, status, null, await MetricsAsync(http, id, cancellationToken), await FinalSha256Async(http, id, cancellationToken));
                    }
                }
                catch (HttpRequestException)
                {
                    // The silo answering went away mid-request: ask a live one next time.
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // A request timed out while a dead silo's grains moved.
                }

                await Task.Delay(500, cancellationToken);
            }

            return new RunResult(id, "timeout", $"not finished after {TrialTimeout.TotalMinutes:0} min", [], null);
        }

        private static async Task<List<string>> MetricsAsync(HttpClient http, string id, CancellationToken cancellationToken)
        {
            var text = await http.GetStringAsync($"api/v1/experiments/{id}/runs/treatment-s1/metrics", cancellationToken);
            return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
            {
                var record = JsonNode.Parse(line)!.AsObject();
                record.Remove("wallSeconds");
                return record.ToJsonString();
            })];
        }

        private static async Task<string?> FinalSha256Async(HttpClient http, string id, CancellationToken cancellationToken)
        {
            var steps = Definition().Budget.Steps.ToString("D5", CultureInfo.InvariantCulture);
            using var response = await http.GetAsync($"api/v1/checkpoints/{id}-treatment-s1-step{steps}", cancellationToken);
            return response.IsSuccessStatusCode
                ? JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("sha256").GetString()
                : null;
        }

        public async ValueTask DisposeAsync()
        {
            await Task.WhenAll(_all.Select(s => s.DisposeAsync().AsTask()));
        }
    }
}
