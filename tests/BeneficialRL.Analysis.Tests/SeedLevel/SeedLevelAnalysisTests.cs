using BeneficialRL.Analysis.HypothesisTests;
using BeneficialRL.Analysis.Items;
using BeneficialRL.Analysis.SeedLevel;
using MathNet.Numerics.Distributions;

namespace BeneficialRL.Analysis.Tests.SeedLevel;

public sealed class SeedLevelAnalysisTests
{
    private static readonly AnalysisOptions Options = new() { BootstrapResamples = 1000, Seed = 3 };

    // Hand-worked example: one benchmark, 3 seed pairs × 3 items, baseline 0.5 everywhere.
    // Differences per seed pair: s0 [0.1, 0, 0.2], s1 [−0.1, 0.1, 0], s2 [0.3, 0.1, 0.2] → dₛ = 0.1, 0, 0.2.
    private static readonly double[][] HandTreatment = [[0.6, 0.5, 0.7], [0.4, 0.6, 0.5], [0.8, 0.6, 0.7]];

    [Fact]
    public void Analyze_HandWorkedThreeSeedPairs_MatchesTAcrossSeedPairs()
    {
        var report = SeedLevelAnalysis.Analyze(Arm(HandTreatment), Arm(Constant(0.5)), "endpoint", Options);

        var b = Assert.Single(report.Benchmarks);
        Assert.Equal(3, b.SeedPairs);
        Assert.Equal([10.0, 0.0, 20.0], b.PerSeedPair.Select(p => Math.Round(p.MeanDifferencePoints, 10)));
        Assert.Equal(10, b.EstimatePoints, 10);
        // mean 0.1, sd 0.1, SE 0.1/√3, t = √3, df 2; for 2 df the two-sided p is 1 − t/√(t² + 2) = 1 − √0.6.
        var test = Assert.IsType<TTestResult>(b.SeedLevelTest);
        Assert.Equal(2, test.DegreesOfFreedom);
        Assert.Equal(10 / Math.Sqrt(3), test.StandardError, 10);
        Assert.Equal(Math.Sqrt(3), test.T, 10);
        Assert.Equal(1 - Math.Sqrt(0.6), test.PValue, 10);
        // t₀.₉₇₅,₂ = 4.302653 (tables).
        var interval = b.SeedLevelInterval!;
        Assert.Equal(10 - (4.302653 * 10 / Math.Sqrt(3)), interval.Lower, 4);
        Assert.Equal(10 + (4.302653 * 10 / Math.Sqrt(3)), interval.Upper, 4);
        // Every seed pair has item variance 0.01, so σ̂²_run = 0.01 − 0.01/3 and the item SD is 10 points.
        Assert.Equal(Math.Sqrt(0.02 / 3) * 100, b.BetweenSeedStandardDeviationPoints!.Value, 8);
        Assert.Equal(10, b.ItemStandardDeviationPoints, 8);
        Assert.False(b.ConditionalOnRuns);
        Assert.NotNull(b.TwoLevelBootstrap);
    }

    [Fact]
    public void Analyze_HandWorkedThreeSeedPairs_ItemLevelIntervalIsConditionalPairedT()
    {
        var report = SeedLevelAnalysis.Analyze(Arm(HandTreatment), Arm(Constant(0.5)), "endpoint", Options);

        // Item differences averaged over seed pairs: 0.1, 0.0667, 0.1333 → mean 0.1, sd 1/30, df 2.
        var b = report.Benchmarks[0];
        var se = (1.0 / 30) / Math.Sqrt(3) * 100;
        Assert.Equal(se, b.ItemLevelTest!.StandardError, 8);
        Assert.Equal(10 - (4.302653 * se), b.ItemLevelInterval.Lower, 4);
        Assert.Equal(2 * StudentT.CDF(0, 1, 2, -10 / se), b.ItemLevelTest.PValue, 10);
    }

    [Fact]
    public void Analyze_HandWorkedThreeSeedPairs_PowerUsesObservedVariances()
    {
        var report = SeedLevelAnalysis.Analyze(Arm(HandTreatment), Arm(Constant(0.5)), "endpoint", Options);

        // Var(dₛ) = σ̂²_run + σ̂²_d/n = 0.02/3 + 0.01/3 = 0.01, so SE = √(0.01/3) and λ = 0.05/SE with 2 df.
        var lambda = 0.05 / Math.Sqrt(0.01 / 3);
        Assert.Equal(TTestPower.TwoSided(lambda, 2, 0.05), report.Benchmarks[0].Power!.Value, 10);
        Assert.Equal(report.Benchmarks[0].Power, report.MeanPower);
    }

    [Fact]
    public void Analyze_TwoBenchmarks_EndpointIsTAcrossSeedPairsOfBenchmarkMeans()
    {
        double[][] second = [[0.5, 0.3, 0.4], [0.6, 0.6, 0.3], [0.2, 0.5, 0.5]];
        var treatment = Arm(HandTreatment).Concat(Arm(second, "b2"));
        var baseline = Arm(Constant(0.5)).Concat(Arm(Constant(0.4), "b2"));

        var report = SeedLevelAnalysis.Analyze(treatment, baseline, "mean OOD gain", Options);

        // gₛ = mean over the two benchmarks of dₛ, computed independently from the raw arrays.
        var g = Enumerable.Range(0, 3).Select(s => ((HandTreatment[s].Average() - 0.5) + (second[s].Average() - 0.4)) / 2).ToArray();
        var mean = g.Average();
        var sd = Math.Sqrt(g.Sum(x => (x - mean) * (x - mean)) / 2);
        var t = mean / (sd / Math.Sqrt(3));
        var endpoint = report.Endpoint;
        Assert.Equal("mean OOD gain", endpoint.Name);
        Assert.Equal(mean * 100, endpoint.EstimatePoints, 8);
        Assert.Equal(t, endpoint.SeedLevelTest!.T, 8);
        Assert.Equal(2 * StudentT.CDF(0, 1, 2, -Math.Abs(t)), endpoint.SeedLevelTest.PValue, 10);
        Assert.Equal(report.Benchmarks.Average(b => b.EstimatePoints), endpoint.EstimatePoints, 8);
        Assert.Equal(3, report.SeedPairs);
        Assert.NotNull(endpoint.Power);
        Assert.True(endpoint.TwoLevelBootstrap!.Interval.Lower <= endpoint.EstimatePoints && endpoint.EstimatePoints <= endpoint.TwoLevelBootstrap.Interval.Upper);
    }

    [Fact]
    public void Analyze_OneSeedPair_GivesNoPValueAndLabelsConditional()
    {
        var report = SeedLevelAnalysis.Analyze(Arm([HandTreatment[0]]), Arm([[0.5, 0.5, 0.5]]), "endpoint", Options);

        Assert.True(report.ConditionalOnRuns);
        Assert.Equal(1, report.SeedPairs);
        Assert.Null(report.MeanPower);
        Assert.Equal(0, report.SignificantImprovements + report.SignificantRegressions);
        foreach (var estimate in report.Benchmarks.Append(report.Endpoint))
        {
            Assert.True(estimate.ConditionalOnRuns);
            Assert.Null(estimate.SeedLevelTest);
            Assert.Null(estimate.SeedLevelInterval);
            Assert.Null(estimate.TwoLevelBootstrap);
            Assert.Null(estimate.QValue);
            Assert.Null(estimate.Power);
            Assert.False(estimate.SignificantImprovement || estimate.SignificantRegression);
            Assert.Contains(SeedLevelAnalysis.ConditionalLabel, estimate.Label, StringComparison.Ordinal);
            Assert.True(estimate.ItemLevelInterval.Lower < estimate.EstimatePoints && estimate.EstimatePoints < estimate.ItemLevelInterval.Upper);
        }
    }

    [Fact]
    public void Analyze_SameInputs_GivesIdenticalBootstrap()
    {
        var first = SeedLevelAnalysis.Analyze(Arm(HandTreatment), Arm(Constant(0.5)), "endpoint", Options);
        var second = SeedLevelAnalysis.Analyze(Arm(HandTreatment), Arm(Constant(0.5)), "endpoint", Options);

        Assert.Equal(first.Benchmarks[0].TwoLevelBootstrap, second.Benchmarks[0].TwoLevelBootstrap);
        Assert.Equal(first.Endpoint.TwoLevelBootstrap, second.Endpoint.TwoLevelBootstrap);
    }

    [Fact]
    public void Analyze_ReplicateOnlyInOneArm_IsLeftOutOfThePairs()
    {
        var treatment = Arm(HandTreatment);
        var baseline = Arm(Constant(0.5)).Where(s => s.Replicate != 2);

        var report = SeedLevelAnalysis.Analyze(treatment, baseline, "endpoint", Options);

        Assert.Equal([0, 1], report.Benchmarks[0].PerSeedPair.Select(p => p.Replicate));
    }

    [Fact]
    public void Analyze_BenchmarkInOneArm_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => SeedLevelAnalysis.Analyze(Arm(HandTreatment), Arm(Constant(0.5), "other"), "endpoint", Options));

        Assert.Contains("only one arm", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_DuplicateItemInOneReplicate_Throws()
    {
        var treatment = Arm(HandTreatment).Append(new ItemScore("b1", "item-0", 0.5, Replicate: 0));

        Assert.Throws<ArgumentException>(() => SeedLevelAnalysis.Analyze(treatment, Arm(Constant(0.5)), "endpoint", Options));
    }

    private static double[][] Constant(double value) => [[value, value, value], [value, value, value], [value, value, value]];

    private static IEnumerable<ItemScore> Arm(double[][] scores, string benchmark = "b1") =>
        scores.SelectMany((items, seed) => items.Select((score, i) => new ItemScore(benchmark, $"item-{i}", score, Replicate: seed)));
}
