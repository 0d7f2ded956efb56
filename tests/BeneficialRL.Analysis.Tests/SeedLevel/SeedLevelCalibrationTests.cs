using BeneficialRL.Analysis.HypothesisTests;
using BeneficialRL.Analysis.Items;
using BeneficialRL.Analysis.SeedLevel;
using MathNet.Numerics.Distributions;

namespace BeneficialRL.Analysis.Tests.SeedLevel;

/// <summary>
/// Simulated experiments with a random run effect per seed: y = μ + itemᵢ + run_(arm,seed,benchmark) + ε.
/// Rejection rates are compared with their targets using margins of 4 binomial standard errors, so with the
/// fixed seeds the assertions hold deterministically and would fail only for a real miscalibration.
/// </summary>
public sealed class SeedLevelCalibrationTests
{
    private const double ItemSd = 0.10, NoiseSd = 0.15, Alpha = 0.05;
    private static readonly AnalysisOptions Options = new() { BootstrapResamples = 100, Seed = 11 };

    [Fact]
    public void Analyze_AaWithRunEffect_ItemLevelTestRejectsFarMoreThanSeedLevel()
    {
        const int Experiments = 20, Benchmarks = 50, Items = 100, Seeds = 3;
        const double RunSd = 0.02;
        var random = new Random(20251206);
        int itemRejections = 0, seedRejections = 0, tests = 0;
        for (var e = 0; e < Experiments; e++)
        {
            var (t, b) = Experiment(random, Benchmarks, Items, Seeds, RunSd, _ => 0);
            var report = SeedLevelAnalysis.Analyze(t, b, "aa", Options);
            itemRejections += report.Benchmarks.Count(x => x.ItemLevelTest!.PValue < Alpha);
            seedRejections += report.Benchmarks.Count(x => x.SeedLevelTest!.PValue < Alpha);
            tests += Benchmarks;
        }

        var margin = 4 * Math.Sqrt(Alpha * (1 - Alpha) / tests);
        var seedRate = (double)seedRejections / tests;
        var itemRate = (double)itemRejections / tests;
        // The seed-level t is exact under this model: it must hold its level.
        Assert.InRange(seedRate, Alpha - margin, Alpha + margin);
        // The item-level test ignores the run variance 2σ²_run/S; its real level is 2Φ(−z·SE_item/√(SE_item² + 2σ²_run/S))
        // (the audit's normal approximation), far above 5%.
        var itemSe = Math.Sqrt(2 * NoiseSd * NoiseSd / Seeds / Items);
        var predicted = 2 * Normal.CDF(0, 1, -1.96 * itemSe / Math.Sqrt((itemSe * itemSe) + (2 * RunSd * RunSd / Seeds)));
        var itemMargin = 4 * Math.Sqrt(predicted * (1 - predicted) / tests);
        TestContext.Current.TestOutputHelper?.WriteLine($"A/A over {tests} tests: seed-level {seedRate:P1}, item-level {itemRate:P1} (predicted {predicted:P1})");
        Assert.True(itemRate > Alpha + margin, $"item-level rejection rate {itemRate:P1} should exceed 5% by more than {margin:P1}");
        Assert.InRange(itemRate, predicted - itemMargin, predicted + itemMargin);
    }

    [Fact]
    public void Analyze_PlantedFivePointsOnThirtyPercent_DetectedWithTheComputedPower()
    {
        const int Experiments = 20, Benchmarks = 50, Items = 200, Seeds = 4;
        const double RunSd = 0.01, Effect = 0.05;
        var random = new Random(7);
        int plantedHits = 0, planted = 0, nullHits = 0, nulls = 0;
        for (var e = 0; e < Experiments; e++)
        {
            var (t, b) = Experiment(random, Benchmarks, Items, Seeds, RunSd, k => k % 10 < 3 ? Effect : 0);
            var report = SeedLevelAnalysis.Analyze(t, b, "planted", Options);
            for (var k = 0; k < Benchmarks; k++)
            {
                var rejected = report.Benchmarks[k].SeedLevelTest!.PValue < Alpha ? 1 : 0;
                if (k % 10 < 3)
                {
                    plantedHits += rejected;
                    planted++;
                }
                else
                {
                    nullHits += rejected;
                    nulls++;
                }
            }
        }

        // True Var(dₛ) = 2σ²_run + 2σ²_ε/n; the power of the t with S − 1 df at that variance.
        var expected = TTestPower.ForMean(Effect, (2 * RunSd * RunSd) + (2 * NoiseSd * NoiseSd / Items), Seeds, Alpha);
        var detected = (double)plantedHits / planted;
        var margin = 4 * Math.Sqrt(expected * (1 - expected) / planted);
        TestContext.Current.TestOutputHelper?.WriteLine($"planted: detected {detected:P1} of {planted} (power {expected:P1}); nulls {(double)nullHits / nulls:P1} of {nulls}");
        Assert.InRange(detected, expected - margin, expected + margin);
        var nullMargin = 4 * Math.Sqrt(Alpha * (1 - Alpha) / nulls);
        Assert.InRange((double)nullHits / nulls, Alpha - nullMargin, Alpha + nullMargin);
    }

    private static (List<ItemScore> Treatment, List<ItemScore> Baseline) Experiment(Random random, int benchmarks, int items, int seeds, double runSd, Func<int, double> effect)
    {
        var treatment = new List<ItemScore>(benchmarks * items * seeds);
        var baseline = new List<ItemScore>(benchmarks * items * seeds);
        for (var k = 0; k < benchmarks; k++)
        {
            var difficulty = Enumerable.Range(0, items).Select(_ => Normal.Sample(random, 0, ItemSd)).ToArray();
            for (var s = 0; s < seeds; s++)
            {
                // One shift per run and benchmark, shared by every item of the run: what the item-level test cannot see.
                var runTreatment = Normal.Sample(random, 0, runSd);
                var runBaseline = Normal.Sample(random, 0, runSd);
                for (var i = 0; i < items; i++)
                {
                    var id = $"i{i}";
                    treatment.Add(new ItemScore($"b{k:D2}", id, 0.5 + effect(k) + difficulty[i] + runTreatment + Normal.Sample(random, 0, NoiseSd), Replicate: s));
                    baseline.Add(new ItemScore($"b{k:D2}", id, 0.5 + difficulty[i] + runBaseline + Normal.Sample(random, 0, NoiseSd), Replicate: s));
                }
            }
        }

        return (treatment, baseline);
    }
}
