using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BeneficialRL.Contracts.Cluster;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.LocalInfrastructure;

namespace BeneficialRL.Perf.Chaos;

/// <summary>
/// Chaos trials on a cluster (membership on Azurite's tables) of one api silo and two trainer silos: every trial runs one short
/// experiment (<c>quick</c>, 8 steps, a checkpoint every 2) and disturbs it once at a drawn moment — a stage
/// (base model, training or evaluation) and a point of its progress — by SIGKILL of a random silo of either role
/// (replaced by a new silo of that role), a storage outage (Azurite stopped and started again over its data), or a
/// rolling restart of every silo; it records whether the experiment completed (or failed with a reason), the steps
/// lost beyond the last checkpoint, and whether its metrics and final weights equal an undisturbed run's.
/// Options: <c>--trials &lt;n&gt;</c> (20), <c>--seed &lt;n&gt;</c> (1), <c>--blob-faults</c> (inject 2% 503s, 5% slow
/// calls and 0.2% hangs into every blob call as well).
/// </summary>
public sealed class ChaosPerf : IPerfMeasurement
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan TrialTimeout = TimeSpan.FromMinutes(20);
    private static readonly string[] Stages = ["base-model", "training", "evaluation"];

    /// <inheritdoc />
    public string Name => "chaos";

    /// <inheritdoc />
    public string Description => "Chaos trials: silo kills (api or trainer), storage outages and rolling restarts at drawn stages of short experiments; completions, steps lost, equal metrics.";

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

        var loadAtStart = LoadAverage();
        var data = Directory.CreateTempSubdirectory("chaos-bench-");
        try
        {
            await using var azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions { DataDirectory = data.FullName }, cancellationToken);
            await using var cluster = new Cluster(azurite, environment);
            await output.WriteLineAsync("Starting one api and two trainer silos...");
            await Task.WhenAll(cluster.StartSiloAsync(SiloRoles.Api, cancellationToken), cluster.StartSiloAsync(SiloRoles.Trainer, cancellationToken), cluster.StartSiloAsync(SiloRoles.Trainer, cancellationToken));

            var clock = Stopwatch.StartNew();
            var reference = await cluster.RunAsync(cancellationToken);
            var referenceSeconds = clock.Elapsed.TotalSeconds;
            if (reference.Status != "completed") throw new InvalidOperationException($"The undisturbed run ended {reference.Status}.");
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Undisturbed run: {referenceSeconds:0} s."));

            var rows = new List<TrialResult>();
            for (var trial = 1; trial <= trials; trial++)
            {
                var kind = random.NextDouble() switch { < 0.7 => "kill a silo", < 0.85 => "storage outage", _ => "rolling restart" };
                // A stage and a point of its progress, not a time: the moment lands inside the run whatever the load.
                var moment = (Stage: Stages[random.Next(Stages.Length)], Fraction: random.NextDouble() * 0.9);
                var result = await cluster.TrialAsync(kind, moment, random, reference, cancellationToken);
                rows.Add(result);
                await output.WriteLineAsync(result.Row(trial));
            }

            await output.WriteLineAsync();
            await output.WriteLineAsync($"{trials} trials, seed {IntOption(args, "--seed", 1)}{(args.Contains("--blob-faults") ? ", blob faults injected" : string.Empty)}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}, load (1/5/15 min) at the start {loadAtStart}, at the end {LoadAverage()}:");
            await output.WriteLineAsync();
            await output.WriteLineAsync("| # | disturbance | after | stage then | outcome | steps lost | metrics and weights equal | wall |");
            await output.WriteLineAsync("|---:|---|---:|---|---|---:|---|---:|");
            for (var i = 0; i < rows.Count; i++) await output.WriteLineAsync(rows[i].Row(i + 1));
            var disturbed = rows.Where(r => r.StageThen != Finished).ToList();
            await output.WriteLineAsync($"Kills by role: {string.Join(", ", rows.Where(r => r.Kind.StartsWith("kill", StringComparison.Ordinal)).GroupBy(r => r.Kind).Select(g => $"{g.Key} {g.Count()}"))}.");
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

    /// <summary>The silos of the trials; a killed or restarted silo is replaced by a new one of its role.</summary>
    private sealed class Cluster(AzuriteServer azurite, Dictionary<string, string?> environment) : IAsyncDisposable
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

        public async Task<SiloProcess> StartSiloAsync(string role, CancellationToken cancellationToken)
        {
            var name = $"{role}-{Interlocked.Increment(ref _next)}";
            var settings = SiloLaunchSettings.WithFreePorts(name, [role], azurite.ConnectionString) with
            {
                ClusterId = _clusterId,
                ServiceId = _clusterId,
                BootstrapAdminKey = _apiKey,
                AdditionalEnvironment = environment,
            };
            var silo = await SiloProcess.StartAndWaitUntilReadyAsync(
                settings, SiloHostBuild.LocateDll(SiloHostBuild.BuildConfiguration), _ => { }, ReadyTimeout, onStarted: null, onRestart: _ => { }, cancellationToken);
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

        /// <summary>Runs the experiment and disturbs it once, when it reaches <paramref name="moment"/>.</summary>
        public async Task<TrialResult> TrialAsync(string kind, (string Stage, double Fraction) moment, Random random, RunResult reference, CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            var id = await CreateAsync(cancellationToken);
            var stageThen = await WaitForAsync(id, moment, cancellationToken);
            var after = clock.Elapsed;
            long? stepsLost = null;
            switch (kind)
            {
                case "kill a silo":
                    SiloProcess victim;
                    lock (_live) victim = _live[random.Next(_live.Count)];
                    kind = $"kill {RoleOf(victim)} silo";
                    stepsLost = await StepsSinceCheckpointAsync(id, victim.Settings.Name, cancellationToken);
                    victim.Kill();
                    await victim.Exited;
                    lock (_live) _live.Remove(victim);
                    await StartSiloAsync(RoleOf(victim), cancellationToken);
                    break;
                case "storage outage":
                    await azurite.RestartAsync(TimeSpan.FromSeconds(5), cancellationToken);
                    break;
                default:
                    foreach (var silo in _live.ToList())
                    {
                        await silo.StopAsync(TimeSpan.FromSeconds(30));
                        lock (_live) _live.Remove(silo);
                        await StartSiloAsync(RoleOf(silo), cancellationToken);
                    }

                    break;
            }

            var run = await FinishAsync(id, cancellationToken);
            var equal = run.Status == "completed" && run.FinalSha256 == reference.FinalSha256 && run.Metrics.SequenceEqual(reference.Metrics);
            return new TrialResult(kind, after, stageThen, run.Status, run.Error, stepsLost, equal, clock.Elapsed);
        }

        private static string RoleOf(SiloProcess silo) => silo.Settings.Name.StartsWith(SiloRoles.Api, StringComparison.Ordinal) ? SiloRoles.Api : SiloRoles.Trainer;

        /// <summary>
        /// Polls until the experiment is in <paramref name="moment"/>'s stage with at least its fraction of progress, or
        /// past that stage; returns the stage it is in then, or <see cref="Finished"/> when it ended first.
        /// </summary>
        private async Task<string> WaitForAsync(string id, (string Stage, double Fraction) moment, CancellationToken cancellationToken)
        {
            var target = Array.IndexOf(Stages, moment.Stage);
            while (true)
            {
                using var http = Http();
                using var experiment = JsonDocument.Parse(await http.GetStringAsync($"api/v1/experiments/{id}", cancellationToken));
                var root = experiment.RootElement;
                if (root.GetProperty("status").GetString() is "completed" or "failed" or "cancelled") return Finished;
                var stage = root.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()).LastOrDefault();
                var index = stage is null ? -1 : Array.IndexOf(Stages, stage);
                var fraction = root.TryGetProperty("progress", out var progress) && progress.ValueKind == JsonValueKind.Object ? progress.GetProperty("fraction").GetDouble() : 0;
                if (index > target || stage == "report" || (index == target && fraction >= moment.Fraction)) return stage!;
                await Task.Delay(200, cancellationToken);
            }
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
            lock (_live) silo = _live.First(s => RoleOf(s) == SiloRoles.Api); // the only kind that serves the API
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
