using System.Text.Json;
using BeneficialRL.Evals.BuiltIn;
using BeneficialRL.Evals.Scoring;
using BeneficialRL.Experiments.Analysis;
using BeneficialRL.Experiments.Evaluation;
using BeneficialRL.Experiments.Reports;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;

namespace BeneficialRL.Perf.Dashboard;

/// <summary>
/// A paper-scale experiment's data as the API serves it, built from the real types: the <c>paper-main</c> definition
/// (2 arms × 3 seeds, 400 RL steps, checkpoints every 50), 54 built-in OOD benchmarks plus 7 held-out traits scored
/// per item, step records for every run, and the report the real analysis (<see cref="AnalysisStage"/>) computes
/// from them, serialised with the options the report job writes <c>report.json</c> with.
/// </summary>
public sealed class DashboardData
{
    /// <summary>The experiment id the routes answer for.</summary>
    public const string ExperimentId = "exp-dashboard-bench";

    /// <summary>Benchmarks in the OOD suite.</summary>
    public const int OodBenchmarks = 54;

    /// <summary>Items scored per benchmark and run.</summary>
    public const int ItemsPerBenchmark = 40;

    private DashboardData(ExperimentDefinition definition, string experiment, string jobs, IReadOnlyDictionary<string, string> metrics, string report)
    {
        Definition = definition;
        Experiment = experiment;
        Jobs = jobs;
        Metrics = metrics;
        Report = report;
    }

    /// <summary>The definition.</summary>
    public ExperimentDefinition Definition { get; }

    /// <summary><c>GET /api/v1/experiments/{id}</c>.</summary>
    public string Experiment { get; }

    /// <summary><c>GET /api/v1/experiments/{id}/jobs</c>.</summary>
    public string Jobs { get; }

    /// <summary><c>GET /api/v1/experiments/{id}/runs/{run}/metrics</c> per run key (JSON lines).</summary>
    public IReadOnlyDictionary<string, string> Metrics { get; }

    /// <summary><c>GET /api/v1/experiments/{id}/report</c>.</summary>
    public string Report { get; }

    /// <summary>Builds the data (seeded: the same bytes every run).</summary>
    public static DashboardData Build()
    {
        var preset = ExperimentPresets.Get("paper-main");
        var arms = new[] { preset.Arms.Single(a => a.Role == ArmRole.Baseline), preset.Arms.First(a => a.Role != ArmRole.Baseline) };
        var definition = preset with { Arms = arms, Analysis = preset.Analysis with { BootstrapResamples = 1000 } };
        var steps = definition.Budget.Steps;
        var random = new Random(20261206);
        var suite = BuiltInSuite.Generate().Take(OodBenchmarks).ToList();
        var heldOut = Enumerable.Range(1, 7).Select(i => $"held-out-trait-{i}").ToList();

        var finals = new List<CheckpointEvaluation>();
        var checkpoints = new List<CheckpointEvaluation>();
        var records = new List<TrainingStepRecord>();
        var effects = suite.ToDictionary(b => b.Definition.Id, _ => random.NextDouble() * 0.08 - 0.02, StringComparer.Ordinal);
        foreach (var arm in arms)
        {
            var treated = arm.Role != ArmRole.Baseline;
            foreach (var seed in definition.Seeds)
            {
                var shift = random.NextDouble() * 0.02 - 0.01;
                BenchmarkItemResult Item(string id, string domain, double mean) =>
                    new(id, Math.Clamp(mean + shift + (random.NextDouble() - 0.5) * 0.4, 0, 1), domain, []);
                BenchmarkEvaluation HeldOut(string trait, double lift) => new(trait, "held-out", EvaluationSuites.HeldOut,
                    new BenchmarkScoreSummary(trait, "1", "synthetic", 10, 0.5, 0.05, new Dictionary<string, double>()),
                    [.. Enumerable.Range(0, 10).Select(i => Item($"{trait}-{i}", "health", 0.5 + lift))]);

                var ood = suite.Select(b => new BenchmarkEvaluation(b.Definition.Id, b.Definition.Family, EvaluationSuites.Ood,
                    new BenchmarkScoreSummary(b.Definition.Id, "1", "synthetic", ItemsPerBenchmark, 0.5, 0.05, new Dictionary<string, double>()),
                    [.. b.Items.Take(ItemsPerBenchmark).Select(i => Item(i.Id, i.Domain, 0.5 + (treated ? effects[b.Definition.Id] : 0)))])).ToList();
                finals.Add(new CheckpointEvaluation(arm.Name, seed, steps, [.. ood, .. heldOut.Select(t => HeldOut(t, treated ? 0.03 : 0))], 60));
                for (long step = 0; step <= steps; step += definition.Budget.CheckpointEvery)
                    checkpoints.Add(new CheckpointEvaluation(arm.Name, seed, step, [.. heldOut.Select(t => HeldOut(t, treated ? 0.03 * step / steps : 0))], 20));

                for (var step = 0; step < steps; step++)
                {
                    var reward = 0.3 + 0.4 * step / steps + (random.NextDouble() - 0.5) * 0.05;
                    records.Add(new TrainingStepRecord
                    {
                        Step = step,
                        Arm = arm.Name,
                        Seed = seed,
                        MeanReward = reward,
                        RewardStd = 0.2,
                        SliceRewards = arm.Slices.ToDictionary(s => s.Name, _ => new SliceRewardStats(32, reward + (random.NextDouble() - 0.5) * 0.1, 0.2), StringComparer.Ordinal),
                        Kl = 0.001 * step,
                        Entropy = 2 - step / 400.0,
                        ClipFraction = 0.02 * random.NextDouble(),
                        ZeroVarianceFraction = 0.1 * random.NextDouble(),
                        Loss = (random.NextDouble() - 0.5) * 0.1,
                        LearningRate = definition.Budget.LearningRate,
                        TokensGenerated = 32 * 8 * 60,
                        TokensTrained = 32 * 8 * 180,
                        EstimatedFlops = 3.2e12,
                        WallSeconds = 1.5,
                    });
                }
            }
        }

        var analysis = AnalysisStage.Analyze(definition, finals, checkpoints, records);
        var baseResult = new BaseModelResult("synthetic", "base-synthetic", new string('0', 64), 4096, 40_000_000, 1500, 48_000, 1.9, false, 3600);
        var report = new ExperimentReport(ExperimentId, definition, baseResult, analysis, [.. analysis.Comparisons.Select(HeadlineRow.From)],
            new Dictionary<string, double> { ["base-model"] = 3600, ["training"] = 36000, ["evaluation"] = 7200, ["report"] = 60 }, ["report.json", "report.html"]);

        var self = $"/api/v1/experiments/{ExperimentId}";
        var at = new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
        var experiment = new
        {
            id = ExperimentId,
            name = "paper-main (synthetic, dashboard bench)",
            description = (string?)null,
            labels = new Dictionary<string, string> { ["preset"] = "paper-main" },
            status = "completed",
            createdAt = at,
            queuedAt = at,
            startedAt = at,
            finishedAt = at.AddHours(13),
            error = (string?)null,
            progress = (object?)null,
            worker = "bench",
            revision = 42,
            events = $"{self}/events",
            stages = new[] { "base-model", "training", "evaluation", "report" }.Select((s, i) => new { name = s, startedAt = at.AddHours(i), finishedAt = at.AddHours(i + 1), seconds = 3600.0 }),
            alarms = Array.Empty<object>(),
            links = new { self, events = $"{self}/events", jobs = $"{self}/jobs", report = $"{self}/report", reportHtml = $"{self}/reports/report.html" },
            definition = JsonDocument.Parse(ExperimentJson.Serialize(definition)).RootElement,
        };
        var jobs = arms.SelectMany(a => definition.Seeds.Select(s => new
        {
            name = $"train.{a.Name}-s{s}",
            kind = "trainingRun",
            stage = "training",
            arm = a.Name,
            seed = s,
            status = "completed",
            worker = "bench",
            attempts = 1,
            done = steps,
            total = steps,
            message = "done",
            lastCheckpointStep = steps,
            lastCheckpointId = $"{ExperimentId}-{a.Name}-s{s}-step{steps:D5}",
            error = (string?)null,
            createdAt = at,
            startedAt = at,
            finishedAt = at,
            metrics = $"{self}/runs/{a.Name}-s{s}/metrics",
        })).ToList();
        var metrics = records.GroupBy(r => $"{r.Arm}-s{r.Seed}", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Join('\n', g.Select(r => JsonSerializer.Serialize(r, ExperimentJson.Options))) + "\n", StringComparer.Ordinal);
        return new DashboardData(definition, JsonSerializer.Serialize(experiment, ExperimentJson.Options), JsonSerializer.Serialize(jobs, ExperimentJson.Options), metrics,
            JsonSerializer.Serialize(report, ExperimentJson.Options));
    }
}
