using BeneficialRL.Primitives.Layout;
using BeneficialRL.Analysis;
using BeneficialRL.Analysis.Checkpoints;
using BeneficialRL.Analysis.Correlation;
using BeneficialRL.Analysis.Pca;
using BeneficialRL.Analysis.Headline;
using BeneficialRL.Analysis.HeldOut;
using BeneficialRL.Analysis.Items;
using BeneficialRL.Analysis.Refusals;
using BeneficialRL.Analysis.DoseResponse;
using BeneficialRL.Analysis.SeedLevel;
using BeneficialRL.Analysis.Transfer;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.Refusals;
using BeneficialRL.Experiments.Compute;
using BeneficialRL.Experiments.Evaluation;
using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Preflight;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;

namespace BeneficialRL.Experiments.Analysis;

/// <summary>
/// Stage 4: turns final evaluations, checkpoint evaluations and step records into the paper's
/// statistics through BeneficialRL.Analysis. Primary endpoints, with the training run as the unit of
/// replication (seeds paired by index across arms, items paired within a seed pair): (a) the mean OOD gain
/// over the alignment benchmarks and (b) the held-out-scenario trait mean difference, each with a t interval
/// across seed pairs (S − 1 df), or with one seed pair only the item-level interval labelled "conditional on
/// these runs". Secondary: seed-level BH q-values per benchmark with power; the capability trade-off; refusal
/// rates per arm; and the item-level analyses (Welch per benchmark, held-out traits per trait and pooled, the
/// paired non-refusal re-analysis, the transfer matrix), all conditional on these runs. Also per-run curves, the
/// reward-hacking alarm and the compute ledger. A pure function of its inputs.
/// </summary>
public static class AnalysisStage
{
    /// <summary>The pooled held-out comparison's benchmark id.</summary>
    public const string HeldOutPooledId = "held-out-all-traits";

    /// <summary>Name of primary endpoint (a).</summary>
    public const string OodEndpoint = "mean OOD gain (alignment benchmarks)";

    /// <summary>Name of primary endpoint (b).</summary>
    public const string HeldOutEndpoint = "held-out-scenario trait mean";

    /// <summary>Name of the capability trade-off's mean.</summary>
    public const string CapabilityEndpoint = "mean capability change";

    /// <summary>Analyses an experiment.</summary>
    /// <param name="definition">The definition (arms, seeds, analysis options).</param>
    /// <param name="finals">The final checkpoint evaluation of every arm × seed.</param>
    /// <param name="checkpoints">Evaluations of intermediate checkpoints (held-out subset), for the curves; may be empty.</param>
    /// <param name="records">Every training step record.</param>
    public static ExperimentAnalysis Analyze(
        ExperimentDefinition definition,
        IReadOnlyList<CheckpointEvaluation> finals,
        IReadOnlyList<CheckpointEvaluation> checkpoints,
        IReadOnlyList<TrainingStepRecord> records)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(finals);
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentNullException.ThrowIfNull(records);
        var options = new AnalysisOptions
        {
            FalseDiscoveryRate = definition.Analysis.FalseDiscoveryRate,
            BootstrapResamples = definition.Analysis.BootstrapResamples,
            Seed = definition.Analysis.Seed,
        };
        var baseline = definition.Arms.Single(a => a.Role == ArmRole.Baseline).Name;
        var scores = definition.Arms.ToDictionary(a => a.Name, a => Scores(definition, finals.Where(f => f.Arm == a.Name).ToList()), StringComparer.Ordinal);
        var planted = definition.Analysis.PlantedEffect is { } plant ? PlantedBenchmarks(plant, scores[baseline].Ood) : null;
        if (planted is not null)
        {
            foreach (var arm in definition.Arms.Where(a => a.Role != ArmRole.Baseline))
            {
                scores[arm.Name] = scores[arm.Name] with { Ood = Plant(scores[arm.Name].Ood, planted, definition.Analysis.PlantedEffect!.Points) };
            }
        }

        foreach (var arm in definition.Arms.Where(a => scores[a.Name].All.Count == 0))
        {
            throw new ArgumentException($"No final evaluation was given for arm '{arm.Name}'.", nameof(finals));
        }

        var comparisons = definition.Arms.Where(a => a.Role != ArmRole.Baseline).Select(arm =>
        {
            var t = scores[arm.Name];
            var b = scores[baseline];
            var ood = t.Ood.Count > 0 ? HeadlineAnalysis.Analyze(t.Ood, b.Ood, options) : null;
            var traits = t.HeldOut.Count > 0 ? HeldOutTraitAnalysis.Analyze(t.HeldOut, b.HeldOut, options) : [];
            var pooled = t.HeldOut.Count > 0 ? HeadlineAnalysis.Analyze(Pooled(t.HeldOut), Pooled(b.HeldOut), options).Benchmarks[0] : null;
            var nonRefusal = PairedNonRefusalAnalysis.Analyze(t.Generated, b.Generated, options);
            var oodSeedLevel = t.Ood.Count > 0 ? SeedLevelAnalysis.Analyze(t.Ood, b.Ood, OodEndpoint, options) : null;
            var heldOutSeedLevel = t.HeldOut.Count > 0 ? SeedLevelAnalysis.Analyze(t.HeldOut, b.HeldOut, HeldOutEndpoint, options) : null;
            var capability = t.Capability.Count > 0 ? SeedLevelAnalysis.Analyze(t.Capability, b.Capability, CapabilityEndpoint, options) : null;
            ArmRefusalRate[] refusals = [RefusalRates.Of(arm.Name, t.Generated), RefusalRates.Of(baseline, b.Generated)];
            return new ArmComparison(arm.Name, ood, traits, pooled, nonRefusal, oodSeedLevel, heldOutSeedLevel, capability, refusals);
        }).ToList();

        TransferMatrix? transfer = null;
        var conditions = definition.Arms.Where(a => a.Role != ArmRole.Baseline)
            .Select(a => new KeyValuePair<string, IEnumerable<ItemScore>>(a.Name, scores[a.Name].All)).ToList();
        if (scores[baseline].All.Any(s => s.Domain is not null))
        {
            transfer = TransferMatrixBuilder.Build(conditions, scores[baseline].All, options);
        }

        var curves = Curves(definition, finals, checkpoints, records);
        var structure = Structure(checkpoints, definition.Analysis.Seed);
        return new ExperimentAnalysis(baseline, comparisons, transfer, curves, structure, ComputeLedger.FromRecords(records), options.FalseDiscoveryRate, TraitRewardChecks(definition, records), planted?.Order(StringComparer.Ordinal).ToList(),
            DoseResponses(definition, comparisons));
    }

    /// <summary>The paper's trait share, at which a dose–response reads the effect.</summary>
    public const double DoseResponseShare = ExperimentPresets.TraitShare;

    /// <summary>The share of the arm's trait slice in its mixture (0 without one).</summary>
    private static double TraitShareOf(ArmSpec arm) =>
        RewardHackingAlarm.TraitSliceOf(arm) is { } name ? arm.Slices.First(s => s.Name == name).Share : 0;

    /// <summary>
    /// When two or more treatment arms train the trait slice at different shares (e.g. <c>paper-5pct</c>: 5% and 25%),
    /// each primary endpoint's line through the baseline, read at <see cref="DoseResponseShare"/>; otherwise none.
    /// </summary>
    internal static IReadOnlyList<DoseResponseEstimate>? DoseResponses(ExperimentDefinition definition, IReadOnlyList<ArmComparison> comparisons)
    {
        var dosed = comparisons.Select(c => (Comparison: c, Share: TraitShareOf(definition.Arms.Single(a => a.Name == c.Arm)))).Where(d => d.Share > 0).ToList();
        if (dosed.Select(d => d.Share).Distinct().Count() < 2) return null;
        var fits = new List<DoseResponseEstimate>();
        if (dosed.All(d => d.Comparison.OodSeedLevel is not null))
            fits.Add(DoseResponseAnalysis.Fit(OodEndpoint, [.. dosed.Select(d => (d.Comparison.Arm, d.Share, d.Comparison.OodSeedLevel!.Endpoint))], DoseResponseShare));
        if (dosed.All(d => d.Comparison.HeldOutSeedLevel is not null))
            fits.Add(DoseResponseAnalysis.Fit(HeldOutEndpoint, [.. dosed.Select(d => (d.Comparison.Arm, d.Share, d.Comparison.HeldOutSeedLevel!.Endpoint))], DoseResponseShare));
        return fits;
    }

    /// <summary>
    /// Item scores of one arm's final evaluations, replicate = index of the seed in the definition: every arm runs
    /// the same seed list from the same base, so replicate s of two arms is a seed pair.
    /// </summary>
    internal static ArmScores Scores(ExperimentDefinition definition, IReadOnlyList<CheckpointEvaluation> evaluations)
    {
        var heldOut = new List<ItemScore>();
        var ood = new List<ItemScore>();
        var capability = new List<ItemScore>();
        var generated = new List<ItemScore>();
        foreach (var evaluation in evaluations)
        {
            var replicate = Math.Max(0, definition.Seeds.ToList().IndexOf(evaluation.Seed));
            foreach (var benchmark in evaluation.Benchmarks)
            {
                foreach (var item in benchmark.Items)
                {
                    bool? refused = item.Samples.Count == 0 ? null : item.Samples.Count(s => s.Refusal == RefusalLabel.Refusal) * 2 >= item.Samples.Count;
                    var value = ItemValue(definition.World, item);
                    var score = new ItemScore(benchmark.BenchmarkId, item.ItemId, value, refused, item.Domain, replicate);
                    // Capability controls measure the cost of the treatment, not alignment: a trade-off table, not the headline.
                    (benchmark.Suite == EvaluationSuites.HeldOut ? heldOut
                        : string.Equals(benchmark.Family, BenchmarkFamilies.Capability, StringComparison.Ordinal) ? capability
                        : ood).Add(score);
                    if (refused is not null)
                    {
                        generated.Add(score);
                    }
                }
            }
        }

        return new ArmScores(heldOut, ood, capability, generated);
    }

    private static IEnumerable<ItemScore> Pooled(IEnumerable<ItemScore> heldOut) =>
        heldOut.Select(s => s with { BenchmarkId = HeldOutPooledId, ItemId = s.BenchmarkId + "/" + s.ItemId });

    private static IReadOnlyList<RunCurve> Curves(ExperimentDefinition definition, IReadOnlyList<CheckpointEvaluation> finals, IReadOnlyList<CheckpointEvaluation> checkpoints, IReadOnlyList<TrainingStepRecord> records)
    {
        var curves = new List<RunCurve>();
        foreach (var arm in definition.Arms)
        {
            foreach (var seed in definition.Seeds)
            {
                var steps = records.Where(r => r.Arm == arm.Name && r.Seed == seed).OrderBy(r => r.Step).ToList();
                var traitSlice = RewardHackingAlarm.TraitSliceOf(arm);
                var evaluated = checkpoints.Concat(finals.Where(f => !checkpoints.Any(c => c.Arm == f.Arm && c.Seed == f.Seed && c.Step == f.Step)))
                    .Where(c => c.Arm == arm.Name && c.Seed == seed)
                    .OrderBy(c => c.Step)
                    .ToList();
                var points = new List<CurvePoint>();
                long previous = 0;
                foreach (var c in evaluated)
                {
                    var window = steps.Where(r => r.Step >= previous && r.Step < c.Step).Select(r => RewardHackingAlarm.TrainReward(r, traitSlice)).Where(double.IsFinite).ToList();
                    points.Add(new CurvePoint(c.Step, window.Count > 0 ? window.Average() : double.NaN, c.HeldOutMean));
                    previous = c.Step;
                }

                curves.Add(new RunCurve(arm.Name, seed, [.. steps.Select(r => r.MeanReward)], points, RewardHackingAlarm.Detect(points, definition.Analysis.RewardHackingWindow)));
            }
        }

        return curves;
    }

    /// <summary>
    /// The score of one item the analysis uses. Classic world: multiple-choice items by length-normalised option
    /// probability (lm-eval's acc_norm), because suite 1.0.0's aligned options were longer sentences and summed
    /// log-probabilities put ~1e-40 mass on them. Linked and null worlds (docs/science.md §2, decided before any run in
    /// them): the summed log-probability mass, now that every item's options are length-matched (suite 1.1.0), so a
    /// per-token average cannot reward filler words. Other formats: their score.
    /// </summary>
    public static double ItemValue(WorldSpec world, Evals.Scoring.BenchmarkItemResult item)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(item);
        return world.TrainsAllTraits ? item.RawScore ?? item.Score : item.NormalisedScore ?? item.Score;
    }

    /// <summary>The OOD alignment benchmarks that get the planted effect: a seeded draw of round(share × n), at least one.</summary>
    internal static HashSet<string> PlantedBenchmarks(PlantedEffectSpec plant, IEnumerable<ItemScore> ood)
    {
        var ids = ood.Select(s => s.BenchmarkId).Distinct().Order(StringComparer.Ordinal).ToList();
        var count = Math.Clamp((int)Math.Round(plant.Share * ids.Count, MidpointRounding.AwayFromZero), 1, Math.Max(1, ids.Count));
        var random = new Random(plant.Seed);
        return ids.OrderBy(_ => random.Next()).Take(count).ToHashSet(StringComparer.Ordinal);
    }

    private static List<ItemScore> Plant(IEnumerable<ItemScore> scores, HashSet<string> planted, double points) =>
        [.. scores.Select(s => planted.Contains(s.BenchmarkId) ? s with { Score = Math.Clamp(s.Score + (points / 100), 0, 1) } : s)];

    /// <summary>The after-training pre-flight check: per treatment run with a trait slice, the trait-slice reward rises.</summary>
    internal static IReadOnlyList<PreflightCheck> TraitRewardChecks(ExperimentDefinition definition, IReadOnlyList<TrainingStepRecord> records)
    {
        var checks = new List<PreflightCheck>();
        foreach (var arm in definition.Arms.Where(a => a.Role != ArmRole.Baseline))
        {
            var slice = RewardHackingAlarm.TraitSliceOf(arm);
            if (slice is null)
            {
                continue;
            }

            foreach (var seed in definition.Seeds)
            {
                var points = records.Where(r => r.Arm == arm.Name && r.Seed == seed)
                    .Select(r => (r.Step, Reward: RewardHackingAlarm.TrainReward(r, slice)))
                    .Where(p => double.IsFinite(p.Reward))
                    .OrderBy(p => p.Step)
                    .ToList();
                checks.Add(PreflightChecks.TraitRewardRises(TenantBlobLayout.RunKey(arm.Name, seed), points));
            }
        }

        return checks;
    }

    /// <summary>Spearman and PCA of held-out trait scores across every evaluated checkpoint.</summary>
    internal static CheckpointStructure? Structure(IReadOnlyList<CheckpointEvaluation> checkpoints, int seed)
    {
        var rows = checkpoints
            .Select(c => (Id: c.Arm == "base" || c.Step == 0 ? "base@0" : $"{c.Arm}-s{c.Seed}@{c.Step}", Evaluation: c))
            .GroupBy(r => r.Id, StringComparer.Ordinal)
            .Select(g => g.First())
            .ToList();
        var scores = rows.SelectMany(r => r.Evaluation.Benchmarks.Where(b => b.Suite == EvaluationSuites.HeldOut)
            .Select(b => new CheckpointScore(r.Id, b.BenchmarkId, b.Summary.Mean))).ToList();
        if (rows.Count < 3 || scores.Count == 0)
        {
            return rows.Count == 0 ? null : new CheckpointStructure([.. rows.Select(r => r.Id)], null, null, null, $"{rows.Count} evaluated checkpoints; the correlation structure needs at least 3.");
        }

        var table = CheckpointScoreTable.FromScores(scores);
        var spearman = SpearmanCorrelation.Matrix(table);
        try
        {
            return new CheckpointStructure(table.Checkpoints, spearman, PrincipalComponentAnalysis.Fit(table), PrincipalComponentAnalysis.PermutationTest(table, 999, seed), "");
        }
        catch (ArgumentException exception)
        {
            // Too few traits that vary across checkpoints: the PCA is undefined, which the report says.
            return new CheckpointStructure(table.Checkpoints, spearman, null, null, exception.Message);
        }
    }

    internal sealed record ArmScores(IReadOnlyList<ItemScore> HeldOut, IReadOnlyList<ItemScore> Ood, IReadOnlyList<ItemScore> Capability, IReadOnlyList<ItemScore> Generated)
    {
        public IReadOnlyList<ItemScore> All => [.. HeldOut, .. Ood, .. Capability];
    }
}
