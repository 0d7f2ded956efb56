using System.Diagnostics;
using System.Globalization;
using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Reports;
using BeneficialRL.Experiments.Running;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Perf.Experiments;

/// <summary>
/// End-to-end experiments in process: wall time per stage of each named preset (default <c>quick</c>
/// then <c>demo</c>), training throughput inside the runs (tokens/s and model GFLOP/s of the GRPO
/// steps, and the share of the training stage spent outside steps: checkpoints and their held-out
/// evaluation), and the headline and held-out tables of each preset.
/// Options: preset names; <c>--out DIR</c> (artifact root, default a fresh temp folder);
/// <c>--trait-share X</c> and <c>--learning-rate X</c> (diagnostics: the preset with another trait share or RL learning rate);
/// <c>--design NAME</c> (the arms of another preset, e.g. <c>health-only</c>, at this preset's size).
/// </summary>
public sealed class ExperimentsPerf : IPerfMeasurement
{
    /// <inheritdoc />
    public string Name => "experiments";

    /// <inheritdoc />
    public string Description => "Experiment presets end to end in process (default: quick demo): wall time per stage, in-run training throughput, headline tables. Options: preset names, --out DIR, --trait-share X, --learning-rate X (diagnostics), --design NAME (another preset's arms at this size).";

    /// <inheritdoc />
    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var presets = new List<string>();
        string? root = null;
        double? traitShare = null;
        double? learningRate = null;
        string? design = null;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--out" && i + 1 < args.Count)
            {
                root = args[++i];
            }
            else if (args[i] == "--design" && i + 1 < args.Count)
            {
                design = args[++i];
            }
            else if (args[i] == "--learning-rate" && i + 1 < args.Count)
            {
                learningRate = double.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else if (args[i] == "--trait-share" && i + 1 < args.Count)
            {
                traitShare = double.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else
            {
                presets.Add(args[i]);
            }
        }

        if (presets.Count == 0)
        {
            presets.AddRange(["quick", "demo"]);
        }

        root ??= Path.Combine(Path.GetTempPath(), "brl-experiments-bench-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        output.WriteLine($"Artifacts under {root}; cores: {Environment.ProcessorCount}; 1-min load average at start: {LoadAverage()}");
        var outcomes = new List<(string Preset, ExperimentOutcome Outcome, double Total)>();
        foreach (var preset in presets)
        {
            var definition = traitShare is { } share ? WithTraitShare(ExperimentPresets.Get(preset), share) : ExperimentPresets.Get(preset);
            if (design is not null)
            {
                // The arms of a paper design (e.g. health-only) at this preset's size.
                definition = definition with { Name = $"{definition.Name}-{design}", Arms = ExperimentPresets.Get(design).Arms };
            }

            if (learningRate is { } rate)
            {
                definition = definition with { Name = $"{definition.Name}-lr{rate.ToString("0.######", CultureInfo.InvariantCulture)}", Budget = definition.Budget with { LearningRate = rate } };
            }
            var sink = new FileSystemArtifactSink(Path.Combine(root, preset));
            var lastStage = "";
            var clock = Stopwatch.StartNew();
            var outcome = await ExperimentRunner.RunInProcessAsync(definition, sink, new ConsoleProgress(p =>
            {
                if (p.Stage != lastStage || p.Done == p.Total)
                {
                    output.WriteLine($"  [{clock.Elapsed.TotalSeconds,7:0.0}s] {preset}/{p.Stage}: {p.Message}");
                    lastStage = p.Stage;
                }
            }), cancellationToken, preset).ConfigureAwait(false);
            outcomes.Add((preset, outcome, clock.Elapsed.TotalSeconds));
            output.WriteLine($"  report: {sink.PathOf(TenantBlobLayout.Report(preset, ReportStage.HtmlFile))}");
        }

        output.WriteLine();
        // The stages of ExperimentPlan, as the experiment grain times them (the report job runs the analysis too).
        output.WriteLine("| Preset | Base model (s) | Training (s) | Evaluation (s) | Persistence (s) | Analysis + report (s) | Total (s) |");
        output.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (preset, outcome, total) in outcomes)
        {
            var s = outcome.StageSeconds;
            var persistence = s.TryGetValue(StageNames.Persistence, out var p) ? p.ToString("0.0", CultureInfo.InvariantCulture) : "–";
            output.WriteLine($"| {preset} | {s[StageNames.BaseModel]:0.0} | {s[StageNames.Training]:0.0} | {s[StageNames.Evaluation]:0.0} | {persistence} | {s[StageNames.Report]:0.0} | {total:0.0} |");
        }

        output.WriteLine();
        output.WriteLine("| Preset | GRPO steps | Tokens (generated + trained) | In-step tokens/s | In-step model GFLOP/s | Training stage outside steps |");
        output.WriteLine("|---|---|---|---|---|---|");
        foreach (var (preset, outcome, _) in outcomes)
        {
            var arms = outcome.Analysis.Compute.Arms;
            var stepSeconds = arms.Sum(a => a.WallSeconds);
            var tokens = arms.Sum(a => a.TokensGenerated + a.TokensTrained);
            var training = outcome.StageSeconds[StageNames.Training];
            output.WriteLine($"| {preset} | {arms.Sum(a => a.Steps)} | {tokens:N0} | {tokens / stepSeconds:0} | {arms.Sum(a => a.EstimatedFlops) / stepSeconds / 1e9:0.0} | {100 * (training - stepSeconds) / training:0}% (checkpoints + held-out curve evaluation) |");
        }

        foreach (var (preset, outcome, _) in outcomes)
        {
            output.WriteLine();
            output.WriteLine($"Headline, {preset} (vs {outcome.Analysis.Baseline}; compute mismatch flag: {outcome.Analysis.Compute.Mismatch}, FLOPs spread {outcome.Analysis.Compute.FlopsMismatch:0.0%}):");
            output.WriteLine();
            output.WriteLine("| Arm | OOD benchmarks | Improved | Share | Sig. better | Sig. worse | Mean gain (pts) | Held-out Δ (pts) [95% CI] | Held-out q |");
            output.WriteLine("|---|---|---|---|---|---|---|---|---|");
            foreach (var row in outcome.Report.Headline)
            {
                output.WriteLine($"| {row.Arm} | {row.Benchmarks} | {row.Improved} | {row.ImprovedShare:0%} | {row.SignificantImprovements} | {row.SignificantRegressions} | {row.MeanGainPoints:0.0} | {row.HeldOutDeltaPoints:0.0} [{row.HeldOutDeltaLower:0.0}, {row.HeldOutDeltaUpper:0.0}] | {row.HeldOutQ:0.000} |");
            }

            foreach (var comparison in outcome.Analysis.Comparisons.Where(c => c.HeldOutTraits.Count > 0))
            {
                output.WriteLine();
                output.WriteLine($"| Held-out trait ({comparison.Arm}) | Treatment (pts) | Baseline (pts) | Δ (pts) | q |");
                output.WriteLine("|---|---|---|---|---|");
                foreach (var trait in comparison.HeldOutTraits)
                {
                    output.WriteLine($"| {trait.Trait} | {trait.TreatmentScorePoints.Estimate:0.0} | {trait.BaselineScorePoints.Estimate:0.0} | {trait.Comparison.DeltaPoints.Estimate:0.0} | {trait.Comparison.QValue:0.000} |");
                }
            }

            output.WriteLine();
            output.WriteLine($"| Run | Reward first 5 steps | Reward last 5 steps | Held-out at checkpoints (pts) | Reward-hacking alarm |");
            output.WriteLine("|---|---|---|---|---|");
            foreach (var curve in outcome.Analysis.Curves)
            {
                var rewards = curve.RewardPerStep.Where(double.IsFinite).ToList();
                output.WriteLine($"| {curve.Arm} s{curve.Seed} | {rewards.Take(5).DefaultIfEmpty(double.NaN).Average():0.000} | {rewards.TakeLast(5).DefaultIfEmpty(double.NaN).Average():0.000} | {string.Join(" → ", curve.Checkpoints.Select(p => (p.HeldOutScore * 100).ToString("0.0", CultureInfo.InvariantCulture)))} | {(curve.Alarm.Fired ? "fired" : "no")} |");
            }
        }

        return 0;
    }

    // A diagnostic, not a preset: the same design with a different trait share, to see whether the method moves the held-out score at all on this budget.
    private static ExperimentDefinition WithTraitShare(ExperimentDefinition definition, double share) => definition with
    {
        Name = $"{definition.Name}-share{share.ToString("0.##", CultureInfo.InvariantCulture)}",
        Arms = [.. definition.Arms.Select(arm => arm.Slices.Count == 1 ? arm : arm with
        {
            Slices = [.. arm.Slices.Select(s => s with { Share = s.Source == SliceSource.StandardTasks ? 1 - share : share })],
        })],
    };

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private sealed class ConsoleProgress(Action<StageProgress> report) : IProgress<StageProgress>
    {
        public void Report(StageProgress value) => report(value);
    }
}
