using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BeneficialRL.Contracts.Cluster;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.LocalInfrastructure;

namespace BeneficialRL.Cluster.Tests.Clustering;

/// <summary>
/// An experiment survives losing silos. In a cluster, (1) the process running a training run is killed: the
/// run's reminder re-activates it on the other trainer, where it resumes from its last checkpoint; (2) the process
/// hosting the experiment grain itself is killed mid-stage and at stage boundaries: the grain is re-activated
/// elsewhere from its stored state and drives the experiment on. Either way the metrics and final weights equal
/// those of an uninterrupted run of the same experiment.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ExperimentRecoveryTests(ClusterInfrastructure infrastructure) : IClassFixture<ClusterInfrastructure>
{
    private static readonly TimeSpan ExperimentTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Recovery reminders every 5 s instead of every minute, so the test waits on failure detection, not on the clock.</summary>
    private static readonly Dictionary<string, string?> FastRecovery = new() { ["Recovery__ReminderPeriod"] = "00:00:05" };

    [Fact]
    public async Task TrainingRun_TrainerKilledAfterACheckpoint_ResumesOnTheOtherTrainerWithEqualFinalMetrics()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = new TestCluster(infrastructure);
        var starting = new[]
        {
            cluster.StartAsync("api-1", [SiloRoles.Api], ct, FastRecovery),
            cluster.StartAsync("trainer-1", [SiloRoles.Trainer], ct, FastRecovery),
            cluster.StartAsync("trainer-2", [SiloRoles.Trainer], ct, FastRecovery),
        };
        await Task.WhenAll(starting);
        var silos = starting.Select(s => s.Result).ToDictionary(s => s.Settings.Name, StringComparer.Ordinal);
        var http = cluster.ClientFor(silos["api-1"]);
        var definition = Definition();
        var reference = await UndisturbedAsync(http, ct);

        var interrupted = await CreateAsync(http, definition, ct);
        var victim = await WaitForCheckpointAsync(http, interrupted, "train.treatment-s1", ct);
        var killed = silos[victim.Worker];
        killed.Kill();
        await killed.Exited;

        Assert.Equal("completed", await WaitForStatusAsync(http, interrupted, ct));
        var job = (await JobsAsync(http, interrupted, ct)).Single(j => j.GetProperty("name").GetString() == "train.treatment-s1");
        Assert.True(job.GetProperty("attempts").GetInt32() >= 2, job.GetRawText());
        Assert.NotEqual(victim.Worker, job.GetProperty("worker").GetString());
        await AssertSameTrainingAsync(http, reference, interrupted, ct);
    }

    [Fact]
    public async Task Experiment_SiloHostingTheExperimentGrainKilledMidStageAndAtStageBoundaries_CompletesWithEqualFinalMetrics()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = new TestCluster(infrastructure);
        string[] roles = [SiloRoles.Api, SiloRoles.Trainer];
        var live = (await Task.WhenAll(Enumerable.Range(1, 3).Select(i => cluster.StartAsync($"node-{i}", roles, ct, FastRecovery)))).ToList();
        var http = cluster.ClientFor(live[0]);
        var definition = Definition();
        var reference = await UndisturbedAsync(http, ct);

        var interrupted = await CreateAsync(http, definition, ct);
        var moments = new (string Name, Func<JsonElement, List<JsonElement>, bool> Reached)[]
        {
            ("mid base-model", (experiment, jobs) => CurrentStage(experiment) == "base-model" && jobs.Any(j => j.GetProperty("status").GetString() == "running")),
            ("training started", (experiment, _) => CurrentStage(experiment) == "training"),
            ("mid training, after a checkpoint", (_, jobs) => jobs.Any(j => j.GetProperty("name").GetString() == "train.treatment-s1"
                && j.GetProperty("status").GetString() == "running" && j.GetProperty("lastCheckpointStep").ValueKind == JsonValueKind.Number)),
            ("evaluation started", (experiment, _) => CurrentStage(experiment) == "evaluation"),
        };
        var next = live.Count + 1;
        var killed = new List<string>();
        var starting = new List<Task<SiloProcess>>();
        foreach (var (moment, reached) in moments)
        {
            await WaitForAsync(http, interrupted, moment, reached, ct);
            var host = await GrainLocator.ExperimentSiloAsync(cluster, live[0], TestTenant, interrupted, ct)
                ?? throw new InvalidOperationException($"{moment}: the experiment grain of {interrupted} is not active anywhere.");
            await AddStartedAsync(live, starting, waitForAll: live.All(s => s.Settings.Name != host));
            var victim = live.Single(s => s.Settings.Name == host);
            victim.Kill();
            await victim.Exited;
            live.Remove(victim);
            killed.Add($"{moment}: {host}");

            // A replacement keeps two trainers for the work that moves. It starts while the next moment is watched for:
            // a silo takes seconds to become ready on a loaded machine, and waiting for it here once let an 8-step
            // training stage finish unobserved ("ended before 'mid training, after a checkpoint'", fresh clone, 2 cores).
            starting.Add(cluster.StartAsync($"node-{next++}", roles, ct, FastRecovery));
            http = cluster.ClientFor(live[0]);
        }

        await AddStartedAsync(live, starting, waitForAll: true);
        Assert.Equal(moments.Length, killed.Count);
        Assert.Equal("completed", await WaitForStatusAsync(http, interrupted, ct));
        var experiment = await GetJsonAsync(http, $"api/v1/experiments/{interrupted}", ct);
        Assert.Equal(["base-model", "training", "evaluation", "report"], experiment.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        await AssertSameTrainingAsync(http, reference, interrupted, ct);
    }

    [Fact]
    [Trait("Category", "Chaos")]
    public async Task Experiment_UnderBlobFaultsAStorageOutageAndASiloKill_CompletesWithMetricsEqualToAnUndisturbedRun()
    {
        var ct = TestContext.Current.CancellationToken;
        var reference = await UndisturbedAsync(undisturbed: null, ct);
        var data = Directory.CreateTempSubdirectory("chaos-azurite-");
        try
        {
            await using var azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions { DataDirectory = data.FullName }, ct);
            await using var cluster = new TestCluster(infrastructure, azurite);
            string[] roles = [SiloRoles.Api, SiloRoles.Trainer];
            var live = (await Task.WhenAll(Enumerable.Range(1, 2).Select(i => cluster.StartAsync($"node-{i}", roles, ct, BlobChaos)))).ToList();
            var http = cluster.ClientFor(live[0]);
            var disturbed = await CreateAsync(http, Definition(), ct);

            // Storage goes away for a while mid-training: blob calls fail until it is back, jobs retry from a checkpoint.
            await WaitForAsync(http, disturbed, "mid training, after a checkpoint", (_, jobs) => jobs.Any(j => j.GetProperty("name").GetString() == "train.treatment-s1"
                && j.GetProperty("status").GetString() == "running" && j.GetProperty("lastCheckpointStep").ValueKind == JsonValueKind.Number), ct);
            await azurite.RestartAsync(StorageDowntime, ct);

            // Then the silo driving the experiment dies as evaluation starts.
            await WaitForAsync(http, disturbed, "evaluation started", (experiment, _) => CurrentStage(experiment) == "evaluation", ct);
            var host = await GrainLocator.ExperimentSiloAsync(cluster, live[0], TestTenant, disturbed, ct) ?? throw new InvalidOperationException("The experiment grain is not active anywhere.");
            var victim = live.Single(s => s.Settings.Name == host);
            victim.Kill();
            await victim.Exited;
            live.Remove(victim);
            live.Add(await cluster.StartAsync("node-3", roles, ct, BlobChaos));
            http = cluster.ClientFor(live[0]);

            Assert.Equal("completed", await WaitForStatusAsync(http, disturbed, ct));
            await AssertSameTrainingAsync(http, reference, disturbed, ct);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    /// <summary>How long Azurite stays down in the chaos trial: longer than one call's retries (about 3 s) allow.</summary>
    private static readonly TimeSpan StorageDowntime = TimeSpan.FromSeconds(5);

    /// <summary>Fast recovery plus blob faults on every call path: 2% 503s, 5% slow calls, 0.2% hangs cut by a 5 s attempt timeout.</summary>
    private static readonly Dictionary<string, string?> BlobChaos = new(FastRecovery)
    {
        ["Storage__Resilience__AttemptTimeout"] = "00:00:05",
        ["Storage__Resilience__Chaos__FaultRate"] = "0.02",
        ["Storage__Resilience__Chaos__LatencyRate"] = "0.05",
        ["Storage__Resilience__Chaos__Latency"] = "00:00:00.200",
        ["Storage__Resilience__Chaos__TimeoutRate"] = "0.002",
    };

    /// <summary>What an undisturbed run of <see cref="Definition"/> produced: the treatment run's step records and final weights.</summary>
    private sealed record UndisturbedRun(List<string> Metrics, string FinalSha256);

    private static readonly SemaphoreSlim UndisturbedGate = new(1, 1);
    private static UndisturbedRun? _undisturbed;

    /// <summary>
    /// The undisturbed run, made once for the tests of this class (training is deterministic, so one run on any
    /// cluster is the reference for all): on <paramref name="undisturbed"/>, or on a one-silo cluster of its own.
    /// </summary>
    private async Task<UndisturbedRun> UndisturbedAsync(HttpClient? undisturbed, CancellationToken ct)
    {
        await UndisturbedGate.WaitAsync(ct);
        try
        {
            if (_undisturbed is not null) return _undisturbed;
            await using var own = undisturbed is null ? new TestCluster(infrastructure) : null;
            var http = undisturbed ?? own!.ClientFor(await own.StartAsync("reference", [SiloRoles.Api, SiloRoles.Trainer], ct));
            var id = await CreateAsync(http, Definition(), ct);
            Assert.Equal("completed", await WaitForStatusAsync(http, id, ct));
            return _undisturbed = new UndisturbedRun(await MetricsAsync(http, id, ct), await FinalSha256Async(http, id, ct));
        }
        finally
        {
            UndisturbedGate.Release();
        }
    }

    /// <summary>Equal step metrics (wall time aside) and bit-identical final weights of the treatment run.</summary>
    private static async Task AssertSameTrainingAsync(HttpClient http, UndisturbedRun reference, string disturbed, CancellationToken ct)
    {
        var actual = await MetricsAsync(http, disturbed, ct);
        Assert.Equal(Definition().Budget.Steps, actual.Count);
        Assert.Equal(reference.Metrics.Count, actual.Count);
        for (var i = 0; i < actual.Count; i++) Assert.Equal(reference.Metrics[i], actual[i]);
        Assert.Equal(reference.FinalSha256, await FinalSha256Async(http, disturbed, ct));
    }

    private static async Task<string> FinalSha256Async(HttpClient http, string id, CancellationToken ct)
    {
        var steps = Definition().Budget.Steps.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
        return (await GetJsonAsync(http, $"api/v1/checkpoints/{id}-treatment-s1-step{steps}", ct)).GetProperty("sha256").GetString()!;
    }

    /// <summary>Moves the replacement silos that are ready (all of them, waiting, when <paramref name="waitForAll"/>) into <paramref name="live"/>.</summary>
    private static async Task AddStartedAsync(List<SiloProcess> live, List<Task<SiloProcess>> starting, bool waitForAll)
    {
        foreach (var start in starting.Where(t => waitForAll || t.IsCompleted).ToList())
        {
            live.Add(await start);
            starting.Remove(start);
        }
    }

    /// <summary>The tenant of the cluster's bootstrap admin key (the silo host's default).</summary>
    private const string TestTenant = "local";

    /// <summary>The name of the newest stage started, or null before the first.</summary>
    private static string? CurrentStage(JsonElement experiment) =>
        experiment.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()).LastOrDefault();

    /// <summary>Polls the experiment and its jobs until <paramref name="reached"/> holds; fails if the experiment ends first.</summary>
    private static async Task WaitForAsync(HttpClient http, string id, string moment, Func<JsonElement, List<JsonElement>, bool> reached, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < ExperimentTimeout)
        {
            using var response = await http.GetAsync($"api/v1/experiments/{id}", ct);
            if (response.IsSuccessStatusCode)
            {
                var experiment = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.Clone();
                var status = experiment.GetProperty("status").GetString();
                Assert.False(status is "completed" or "failed" or "cancelled", $"Experiment {id} ended ({status}) before '{moment}': {experiment.GetRawText()}");
                if (reached(experiment, await JobsAsync(http, id, ct))) return;
            }

            await Task.Delay(100, ct);
        }

        throw new TimeoutException($"Experiment {id} did not reach '{moment}' within {ExperimentTimeout}.");
    }

    /// <summary><c>quick</c> with enough steps that a kill lands mid-run, and a held-out-only evaluation to keep it short.</summary>
    private static ExperimentDefinition Definition()
    {
        var quick = ExperimentPresets.Get("quick");
        return quick with
        {
            Name = "recovery",
            Budget = quick.Budget with { Steps = 8, CheckpointEvery = 2 },
            Evaluation = quick.Evaluation with { Suites = [EvaluationSuites.HeldOut], CheckpointItemsPerTrait = 1 },
        };
    }

    private static async Task<string> CreateAsync(HttpClient http, ExperimentDefinition definition, CancellationToken ct)
    {
        var body = new JsonObject { ["definition"] = JsonNode.Parse(ExperimentJson.Serialize(definition)) };
        using var response = await http.PostAsJsonAsync("api/v1/experiments", body, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.IsSuccessStatusCode, $"POST api/v1/experiments answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Waits until <paramref name="job"/> stored a checkpoint and is still running; returns where.</summary>
    private static async Task<(string Worker, long Step)> WaitForCheckpointAsync(HttpClient http, string id, string job, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < ExperimentTimeout)
        {
            var run = (await JobsAsync(http, id, ct)).FirstOrDefault(j => j.GetProperty("name").GetString() == job);
            if (run.ValueKind == JsonValueKind.Object
                && run.GetProperty("status").GetString() == "running"
                && run.GetProperty("lastCheckpointStep") is { ValueKind: JsonValueKind.Number } step)
            {
                Assert.True(step.GetInt64() < 8, $"{job} finished before it could be interrupted: {run.GetRawText()}");
                return (run.GetProperty("worker").GetString()!, step.GetInt64());
            }

            await Task.Delay(100, ct);
        }

        throw new TimeoutException($"{job} of {id} stored no checkpoint within {ExperimentTimeout}.");
    }

    /// <summary>Polls the experiment until it ends; requests that fail while a dead silo's grains move are retried.</summary>
    private static async Task<string> WaitForStatusAsync(HttpClient http, string id, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < ExperimentTimeout)
        {
            using var response = await http.GetAsync($"api/v1/experiments/{id}", ct);
            if (response.IsSuccessStatusCode)
            {
                var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("status").GetString()!;
                if (status is "completed" or "failed" or "cancelled") return status;
            }

            await Task.Delay(500, ct);
        }

        throw new TimeoutException($"Experiment {id} did not finish within {ExperimentTimeout}.");
    }

    private static async Task<List<JsonElement>> JobsAsync(HttpClient http, string id, CancellationToken ct)
    {
        using var response = await http.GetAsync($"api/v1/experiments/{id}/jobs", ct);
        if (!response.IsSuccessStatusCode) return [];
        return [.. JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>The treatment run's step records without their wall time (the one field that may differ).</summary>
    private static async Task<List<string>> MetricsAsync(HttpClient http, string id, CancellationToken ct)
    {
        var text = await http.GetStringAsync($"api/v1/experiments/{id}/runs/treatment-s1/metrics", ct);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var record = JsonNode.Parse(line)!.AsObject();
            record.Remove("wallSeconds");
            return record.ToJsonString();
        })];
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
