using BeneficialRL.Contracts.BenchmarkRuns;
using BeneficialRL.Contracts.Checkpoints;
using BeneficialRL.Contracts.Experiments;
using BeneficialRL.Contracts.Idempotency;
using BeneficialRL.Contracts.Durability;
using BeneficialRL.Contracts.ScenarioSets;
using BeneficialRL.Contracts.Tenancy;
using BeneficialRL.Contracts.Work;
using BeneficialRL.Grains.BenchmarkRuns;
using BeneficialRL.Grains.Catalog;
using BeneficialRL.Grains.Checkpoints;
using BeneficialRL.Grains.Experiments;
using BeneficialRL.Grains.Idempotency;
using BeneficialRL.Grains.Durability;
using BeneficialRL.Grains.ScenarioSets;
using BeneficialRL.Grains.Tenancy;

namespace BeneficialRL.Grains.Tests.GrainState;

/// <summary>
/// One or more realistic values of every grain-state type, built the way the grains build them: collections grown
/// with <c>[.. list, item]</c> (the form whose synthesised runtime type once made experiments unreadable), experiments
/// in every stage, paused, cancelled and failed with alarms, runs with curves and checkpoints, keys, idempotency records.
/// </summary>
internal static class RealisticGrainStates
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Samples by name; every state type has at least one (a test checks it).</summary>
    public static IReadOnlyDictionary<string, object> All { get; } = Build();

    private static Dictionary<string, object> Build()
    {
        var samples = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, state) in Experiments()) samples[name] = state;
        samples["job-training-with-checkpoint"] = new ExperimentJobState { Info = TrainingJob(WorkStatus.Running, done: 6) };
        samples["job-completed"] = new ExperimentJobState { Info = TrainingJob(WorkStatus.Completed, done: 8) with { ResultPath = "tenants/t/experiments/e/runs/treatment-s1/metrics.jsonl" } };
        samples["checkpoint-with-lineage"] = new CheckpointState { Info = Checkpoint() };
        samples["index"] = Index();
        samples["idempotency-replay"] = new IdempotencyState
        {
            RequestHash = new string('a', 64),
            LeaseUntil = T0.AddSeconds(30),
            Response = new StoredResponse(201, "application/json", new() { ["Location"] = "/api/v1/experiments/exp_1", ["ETag"] = "\"3\"" }, "{\"id\":\"exp_1\"}"u8.ToArray()),
        };
        samples["suite-run"] = new SuiteRunState { CheckpointId = "ckpt_1", Suite = "held-out", CreatedAt = T0, RunIds = ["run_1", "run_2", "run_3"] };
        samples["benchmark-run-completed"] = new BenchmarkRunState { Info = BenchmarkRun(), StatusScheme = WorkStatuses.CurrentRunStatusScheme };
        samples["imported-benchmark"] = new ImportedBenchmarkState
        {
            Info = new ImportedBenchmarkInfo { Id = "bench_sycophancy", BlobPath = "tenants/t/benchmark-definitions/bench/ab.json", ContentHash = new string('c', 64), ItemCount = 120, CreatedAt = T0 },
        };
        samples["api-key-revoked"] = new ApiKeyState { Record = Key("k1") with { RevokedAt = T0.AddDays(1) } };
        var keys = new TenantKeysState();
        keys.Keys = [.. keys.Keys, Key("k1"), Key("k2") with { Scopes = [ApiScopes.Read] }];
        samples["tenant-keys"] = keys;
        samples["bootstrap-key-rotated"] = new BootstrapKeyState { CurrentKeyId = "k3", RotatedAt = T0.AddDays(2) };
        samples["persistence-run-completed"] = new PersistenceRunState { Info = PersistenceRun(), StatusScheme = WorkStatuses.CurrentRunStatusScheme };
        samples["scenario-set-with-versions"] = new ScenarioSetState { Info = ScenarioSet() };
        return samples;
    }

    private static IEnumerable<(string Name, ExperimentState State)> Experiments()
    {
        var spec = new ExperimentSpec
        {
            Name = "demo",
            Description = "mechanism demo at a 25% share",
            Labels = new() { ["preset"] = "demo", ["owner"] = "alignment-team" },
            Definition = "{\"name\":\"demo\",\"budget\":{\"steps\":30}}",
        };
        var state = new ExperimentState();
        var info = new ExperimentInfo { Id = "exp_1", Tenant = "local", Spec = spec, Status = ExperimentStatus.Created, CreatedAt = T0, Revision = 1 };
        Append(state, info, "status", "Experiment created.");
        state.Info = info;
        yield return ("experiment-created", Copy(state));

        info = info with { Status = ExperimentStatus.Queued, QueuedAt = T0.AddSeconds(1), Revision = 2 };
        string[] stages = ["base-model", "training", "evaluation", "persistence", "report"];
        for (var i = 0; i < stages.Length; i++)
        {
            var at = T0.AddMinutes(i + 1);
            if (i > 0)
            {
                var finished = info.Stages.ToList();
                finished[^1] = finished[^1] with { FinishedAt = at };
                info = info with { Stages = finished };
            }

            // The grain's own form: a collection expression over the previous stages.
            info = info with
            {
                Status = ExperimentStatus.Running,
                StartedAt = T0.AddSeconds(2),
                Stages = [.. info.Stages, new ExperimentStageInfo { Name = stages[i], StartedAt = at }],
                Progress = new ExperimentProgress(stages[i], 0.5, "step 4/8", at),
                Worker = "trainer-1",
                Revision = info.Revision + 1,
            };
            state.StageIndex = i;
            state.Jobs[$"{stages[i]}.job"] = TrainingJob(WorkStatus.Running, done: 4) with { Request = new ExperimentJobRequest { Name = $"{stages[i]}.job", Kind = ExperimentJobKind.TrainingRun, Stage = stages[i], Arm = "treatment", Seed = 1 } };
            Append(state, info, "stage", $"Stage {stages[i]} started: 1 job(s).", stages[i]);
            state.Info = info;
            yield return ($"experiment-stage-{stages[i]}", Copy(state));
        }

        var alarm = new ExperimentAlarm { Kind = "reward-hacking", Run = "treatment-s1", Step = 6, Message = "Trait reward rose while the held-out score fell.", At = T0.AddMinutes(3) };
        info = info with { Alarms = [.. info.Alarms, alarm], Revision = info.Revision + 1 };
        Append(state, info, "alarm", alarm.Message, "reward-hacking");
        state.Info = info with { Status = ExperimentStatus.Paused, Revision = info.Revision + 1 };
        yield return ("experiment-paused-with-alarm", Copy(state));

        state.Info = info with { Status = ExperimentStatus.Cancelled, FinishedAt = T0.AddMinutes(9), Error = "Cancelled by the user.", Revision = info.Revision + 2 };
        yield return ("experiment-cancelled", Copy(state));

        state.Info = info with { Status = ExperimentStatus.Failed, FinishedAt = T0.AddMinutes(9), Error = "Job train.treatment-s1 failed: out of memory.", Revision = info.Revision + 2 };
        yield return ("experiment-failed", Copy(state));

        state.Info = info with
        {
            Status = ExperimentStatus.Completed,
            FinishedAt = T0.AddMinutes(10),
            Results = new ExperimentResults { ReportFolder = "tenants/local/reports/exp_1/", ReportJson = "tenants/local/reports/exp_1/report.json", ReportHtml = "tenants/local/reports/exp_1/report.html" },
            Revision = info.Revision + 3,
        };
        yield return ("experiment-completed", Copy(state));
    }

    /// <summary>A snapshot: later steps must not change a sample already handed out.</summary>
    private static ExperimentState Copy(ExperimentState state) => new()
    {
        Info = state.Info,
        Events = [.. state.Events],
        LastSequence = state.LastSequence,
        Jobs = new(state.Jobs, StringComparer.Ordinal),
        StageIndex = state.StageIndex,
    };

    private static void Append(ExperimentState state, ExperimentInfo info, string kind, string message, string? stage = null)
    {
        state.LastSequence++;
        state.Events.Add(new ExperimentEvent { Sequence = state.LastSequence, At = T0.AddSeconds(state.LastSequence), Kind = kind, Status = info.Status, Stage = stage, Fraction = stage is null ? null : 0, Message = message, Job = stage is null ? null : $"{stage}.job" });
    }

    private static ExperimentJobInfo TrainingJob(WorkStatus status, long done) => new()
    {
        ExperimentId = "exp_1",
        Request = new ExperimentJobRequest { Name = "train.treatment-s1", Kind = ExperimentJobKind.TrainingRun, Stage = "training", Arm = "treatment", Seed = 1 },
        Status = status,
        Worker = "trainer-2",
        Attempts = 2,
        Done = done,
        Total = 8,
        Message = "attempt 2: resuming from step 4",
        LastCheckpointStep = 6,
        LastCheckpointId = "exp_1-treatment-s1-step00006",
        CreatedAt = T0,
        StartedAt = T0.AddSeconds(5),
        FinishedAt = status == WorkStatus.Completed ? T0.AddMinutes(2) : null,
        Revision = 17,
    };

    private static CheckpointInfo Checkpoint() => new()
    {
        Id = "exp_1-treatment-s1-step00006",
        Tenant = "local",
        CreatedAt = T0,
        Details = new CheckpointRegistration
        {
            Name = "treatment-s1 step 6",
            ParentId = "exp_1-treatment-s1-step00004",
            WeightsPath = "tenants/local/checkpoints/exp_1-treatment-s1-step00006/model.safetensors",
            ModelMetadataPath = "tenants/local/checkpoints/exp_1-treatment-s1-step00006/meta.json",
            Sha256 = new string('f', 64),
            Bytes = 13_631_488,
            Format = "safetensors",
            Source = "grpo",
            ExperimentId = "exp_1",
            Step = 6,
            Metadata = new() { ["arm"] = "treatment", ["seed"] = "1", ["heldOutMean"] = "0.412" },
        },
    };

    private static ResourceIndexState Index()
    {
        var index = new ResourceIndexState();
        for (var i = 0; i < 5; i++) index.Entries.Add(new ResourceIndexEntry($"exp_{i}", T0.AddMinutes(-i).UtcTicks));
        return index;
    }

    private static BenchmarkRunInfo BenchmarkRun() => new()
    {
        Id = "run_1",
        Tenant = "local",
        CheckpointId = "ckpt_1",
        BenchmarkId = "sycophancy-health-mc",
        Status = WorkStatus.Completed,
        CreatedAt = T0,
        StartedAt = T0.AddSeconds(1),
        FinishedAt = T0.AddSeconds(40),
        Worker = "trainer-1",
        ItemsDone = 50,
        ItemsTotal = 50,
        Summary = new BenchmarkSummary { Mean = 0.41, StandardError = 0.03, N = 50, Metrics = new() { ["argmaxAccuracy"] = 0.46, ["rawMass"] = 0.37 } },
        ItemsPath = "tenants/local/benchmarks/run_1/items.jsonl",
        Request = new BenchmarkRunRequest { CheckpointId = "ckpt_1", BenchmarkId = "sycophancy-health-mc", MaxItems = 50, SamplesPerItem = 2, SuiteRunId = "suite_1" },
        Evaluated = new BenchmarkVersion("builtin-1", new string('b', 64), new string('f', 64)),
    };

    private static ApiKeyRecord Key(string id) => new()
    {
        KeyId = id,
        Tenant = "local",
        Name = $"notebook {id}",
        Scopes = [.. ApiScopes.All],
        CreatedAt = T0,
        SecretHash = new string('d', 64),
    };

    private static PersistenceRunInfo PersistenceRun() => new()
    {
        Id = "prun_1",
        Tenant = "local",
        Request = new PersistenceRunRequest { CheckpointId = "ckpt_1", ReferenceCheckpointId = "ckpt_0", Spec = "{\"preset\":\"quick\"}" },
        Status = WorkStatus.Completed,
        CreatedAt = T0,
        StartedAt = T0.AddSeconds(2),
        FinishedAt = T0.AddMinutes(3),
        Worker = "trainer-1",
        Phase = "fine-tuning",
        Done = 12,
        Total = 12,
        Message = "completed",
        ResultPath = "tenants/local/persistence/prun_1/result.json",
        ReportPath = "tenants/local/persistence/prun_1/report.html",
        DoseCheckpointIds = [.. new[] { "prun_1-s0-dose1" }, "prun_1-s0-dose2", "prun_1-s1-dose1"],
        Attempts = 1,
    };

    private static ScenarioSetInfo ScenarioSet()
    {
        var info = new ScenarioSetInfo { Id = "ss_1", Tenant = "local", Name = "health traits", CreatedAt = T0, UpdatedAt = T0, Revision = 1, Versions = [] };
        for (var n = 1; n <= 3; n++)
        {
            var added = new ScenarioSetVersion { Number = n, Sha256 = new string((char)('a' + n), 64), BlobPath = $"tenants/local/scenarios/ss_1/v{n}.jsonl", ItemCount = 100 * n, Bytes = 40_000 * n, CreatedAt = T0.AddHours(n) };
            info = info with { Versions = [.. info.Versions, added], UpdatedAt = added.CreatedAt, Revision = info.Revision + 1 };
        }

        return info;
    }
}
