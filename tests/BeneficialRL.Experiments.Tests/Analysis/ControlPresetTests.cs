using BeneficialRL.Analysis.HypothesisTests;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.Scoring;
using BeneficialRL.Experiments.Analysis;
using BeneficialRL.Experiments.Evaluation;
using BeneficialRL.Experiments.Specs;

namespace BeneficialRL.Experiments.Tests.Analysis;

/// <summary>
/// The control presets (docs/science.md §5) on the analysis path, with simulated final evaluations that carry a run
/// effect per arm × seed × benchmark: y = item_i + run + ε, paired items across arms. A full training run per
/// simulated experiment would take hours on 2 cores; the analysis path is what these controls validate.
/// Margins are 3 binomial standard errors at the fixed seeds.
/// </summary>
public sealed class ControlPresetTests
{
    // 50 OOD alignment benchmarks × the presets' 24 items, 1-point run SD, 10-point item noise.
    private const int Benchmarks = 50, Items = 24;
    private const double RunSd = 0.01, NoiseSd = 0.10;

    [Fact]
    public void ControlAa_Preset_IsTwoBaselinesOnIdenticalDataWithOwnSeeds()
    {
        var definition = ExperimentPresets.Get("control-aa");

        Assert.Equal(2, definition.Arms.Count);
        Assert.Equal(definition.Arms[0].Slices, definition.Arms[1].Slices);
        Assert.Equal(0, definition.Arms[0].SeedOffset);
        Assert.NotEqual(0, definition.Arms[1].SeedOffset);
        Assert.Equal(ArmRole.Treatment, definition.Arms[1].Role);
        Assert.True(definition.Seeds.Count >= 3);
        Assert.Empty(ExperimentValidator.Validate(definition));
    }

    [Fact]
    public void ControlAa_SimulatedRunsWithRunEffects_HoldsTheFamilyWiseRateAndCoverage()
    {
        const int Experiments = 200;
        var definition = Fast(ExperimentPresets.Get("control-aa"));
        var random = new Random(20261206);
        int anyDiscovery = 0, covered = 0;
        for (var e = 0; e < Experiments; e++)
        {
            var analysis = AnalysisStage.Analyze(definition, Finals(definition, random, _ => 0), [], []);
            var seedLevel = analysis.Comparisons.Single().OodSeedLevel!;
            anyDiscovery += seedLevel.SignificantImprovements + seedLevel.SignificantRegressions > 0 ? 1 : 0;
            var interval = seedLevel.Endpoint.SeedLevelInterval!;
            covered += interval.Lower <= 0 && 0 <= interval.Upper ? 1 : 0;
        }

        var margin = 3 * Math.Sqrt(0.05 * 0.95 / Experiments);
        // BH at 5% with every null true controls the family-wise rate at 5%.
        Assert.True((double)anyDiscovery / Experiments <= 0.05 + margin, $"{anyDiscovery} of {Experiments} A/A experiments made a seed-level discovery");
        Assert.InRange((double)covered / Experiments, 0.95 - margin, 0.95 + margin);
    }

    [Fact]
    public void ControlPlanted_SimulatedAa_AnalysisFindsThePlantedEffectAtTheComputedPower()
    {
        const int Experiments = 150;
        var definition = Fast(ExperimentPresets.Get("control-planted"));
        var plant = definition.Analysis.PlantedEffect!;
        var random = new Random(7);
        var detected = 0;
        var falseDiscoveryProportions = new List<double>();
        var estimates = new List<double>();
        IReadOnlyList<string>? planted = null;
        for (var e = 0; e < Experiments; e++)
        {
            var analysis = AnalysisStage.Analyze(definition, Finals(definition, random, _ => 0), [], []);
            planted ??= analysis.PlantedBenchmarks;
            Assert.Equal(planted, analysis.PlantedBenchmarks);
            var seedLevel = analysis.Comparisons.Single().OodSeedLevel!;
            var endpoint = seedLevel.Endpoint;
            estimates.Add(endpoint.EstimatePoints);
            detected += endpoint.SeedLevelTest!.PValue < 0.05 && endpoint.EstimatePoints > 0 ? 1 : 0;
            var discoveries = seedLevel.Benchmarks.Where(b => b.SignificantImprovement || b.SignificantRegression).ToList();
            falseDiscoveryProportions.Add(discoveries.Count == 0 ? 0 : discoveries.Count(b => !planted!.Contains(b.Name)) / (double)discoveries.Count);
        }

        Assert.Equal((int)Math.Round(plant.Share * Benchmarks), planted!.Count);
        var effect = plant.Points * planted.Count / Benchmarks;
        // The endpoint estimate recovers the planted mean shift (clamping at 0 and 1 is rare at these scores).
        var spread = Math.Sqrt(((2 * RunSd * RunSd) + (2 * NoiseSd * NoiseSd / Items)) / Benchmarks) * 100;
        Assert.InRange(estimates.Average(), effect - (4 * spread / Math.Sqrt(3 * Experiments)), effect + (4 * spread / Math.Sqrt(3 * Experiments)));
        // Detection matches the power of the seed-level t (S − 1 df) for this effect at these variances.
        var power = TTestPower.TwoSided(effect / (spread / Math.Sqrt(3)), 2, 0.05);
        var margin = 3 * Math.Sqrt(power * (1 - power) / Experiments);
        Assert.InRange((double)detected / Experiments, power - margin, power + margin);
        // The FDR is the mean false-discovery proportion over experiments (0 when nothing is found): BH holds it at 5%.
        var fdr = falseDiscoveryProportions.Average();
        Assert.True(fdr <= 0.05 + (3 * Math.Sqrt(0.05 * 0.95 / Experiments)), $"false-discovery rate {fdr:0.000} over {Experiments} experiments");
    }

    private static ExperimentDefinition Fast(ExperimentDefinition definition) =>
        definition with { Analysis = definition.Analysis with { BootstrapResamples = 100 } };

    /// <summary>Final OOD evaluations of every arm × seed: shared item difficulty, a run shift per arm × seed × benchmark, item noise.</summary>
    private static List<CheckpointEvaluation> Finals(ExperimentDefinition definition, Random random, Func<int, double> armEffect)
    {
        var families = BenchmarkFamilies.Required.Where(f => f != BenchmarkFamilies.Capability).ToList();
        var difficulty = Enumerable.Range(0, Benchmarks).Select(_ => Enumerable.Range(0, Items).Select(_ => 0.3 + (0.4 * random.NextDouble())).ToArray()).ToArray();
        var finals = new List<CheckpointEvaluation>();
        foreach (var arm in definition.Arms)
        {
            foreach (var seed in definition.Seeds)
            {
                var benchmarks = new List<BenchmarkEvaluation>();
                for (var b = 0; b < Benchmarks; b++)
                {
                    var run = RunSd * Normal(random);
                    var effect = arm.Role == ArmRole.Baseline ? 0 : armEffect(b);
                    var results = Enumerable.Range(0, Items)
                        .Select(i => new BenchmarkItemResult($"item-{i:D2}", Math.Clamp(difficulty[b][i] + run + effect + (NoiseSd * Normal(random)), 0, 1), "health", []))
                        .ToList();
                    var id = $"ood-{b:D2}";
                    benchmarks.Add(new BenchmarkEvaluation(id, families[b % families.Count], EvaluationSuites.Ood, new BenchmarkScoreSummary(id, "1", "hash", Items, results.Average(r => r.Score), 0, new Dictionary<string, double>()), results));
                }

                finals.Add(new CheckpointEvaluation(arm.Name, seed, definition.Budget.Steps, benchmarks, 1));
            }
        }

        return finals;
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
