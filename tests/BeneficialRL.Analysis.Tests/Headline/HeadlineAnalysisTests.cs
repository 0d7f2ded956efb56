using BeneficialRL.Analysis.Headline;
using BeneficialRL.Analysis.HypothesisTests;
using BeneficialRL.Analysis.Items;
using BeneficialRL.Analysis.MultipleComparisons;

namespace BeneficialRL.Analysis.Tests.Headline;

public sealed class HeadlineAnalysisTests
{
    private static readonly AnalysisOptions Options = new() { BootstrapResamples = 1000, Seed = 1 };

    [Fact]
    public void Analyze_PlantedEffects_CountsImprovementsAndRegressions()
    {
        // b1 +30 points, b2 +30 points, b3 -30 points, b4 and b5 no true effect.
        var treatment = Synthetic.Bernoulli("b1", 300, 0.8, 1)
            .Concat(Synthetic.Bernoulli("b2", 300, 0.7, 2))
            .Concat(Synthetic.Bernoulli("b3", 300, 0.2, 3))
            .Concat(Synthetic.Bernoulli("b4", 300, 0.5, 4))
            .Concat(Synthetic.Bernoulli("b5", 300, 0.5, 5));
        var baseline = Synthetic.Bernoulli("b1", 300, 0.5, 11)
            .Concat(Synthetic.Bernoulli("b2", 300, 0.4, 12))
            .Concat(Synthetic.Bernoulli("b3", 300, 0.5, 13))
            .Concat(Synthetic.Bernoulli("b4", 300, 0.5, 14))
            .Concat(Synthetic.Bernoulli("b5", 300, 0.5, 15));

        var report = HeadlineAnalysis.Analyze(treatment, baseline, Options);

        Assert.Equal(["b1", "b2", "b3", "b4", "b5"], report.Benchmarks.Select(b => b.BenchmarkId));
        Assert.Equal(2, report.SignificantImprovements);
        Assert.Equal(1, report.SignificantRegressions);
        Assert.Equal(["b3"], report.Regressions);
        Assert.True(report.Benchmarks[0].SignificantImprovement);
        Assert.True(report.Benchmarks[2].SignificantRegression);
        Assert.Equal(report.Benchmarks.Count(b => b.Welch.MeanDifference > 0), report.Improved);
        Assert.Equal(report.Improved / 5.0, report.ImprovedShare, 12);
        Assert.Equal(report.Benchmarks.Average(b => b.DeltaPoints.Estimate), report.MeanGainPoints, 10);
    }

    [Fact]
    public void Analyze_Benchmarks_MatchIndependentWelchAndBenjaminiHochberg()
    {
        var treatment = Synthetic.Continuous("x", 40, 0.6, 0.2, 1).Concat(Synthetic.Continuous("y", 50, 0.55, 0.2, 2)).ToList();
        var baseline = Synthetic.Continuous("x", 45, 0.5, 0.25, 3).Concat(Synthetic.Continuous("y", 30, 0.5, 0.2, 4)).ToList();

        var report = HeadlineAnalysis.Analyze(treatment, baseline, Options);

        var p = new List<double>();
        foreach (var id in new[] { "x", "y" })
        {
            var t = treatment.Where(s => s.BenchmarkId == id).Select(s => s.Score).ToArray();
            var b = baseline.Where(s => s.BenchmarkId == id).Select(s => s.Score).ToArray();
            var welch = WelchTest.Compare(t, b);
            var row = report.Benchmarks.Single(r => r.BenchmarkId == id);
            Assert.Equal(welch, row.Welch);
            Assert.Equal((t.Average() - b.Average()) * 100, row.DeltaPoints.Estimate, 10);
            Assert.True(row.DeltaPoints.Interval.Contains(row.DeltaPoints.Estimate));
            Assert.Equal(t.Length, row.Treatment.Count);
            p.Add(welch.PValue);
        }

        var q = BenjaminiHochberg.QValues(p);
        Assert.Equal(q[0], report.Benchmarks[0].QValue, 12);
        Assert.Equal(q[1], report.Benchmarks[1].QValue, 12);
    }

    [Fact]
    public void Analyze_SeveralSeeds_AveragesSeedsPerItem()
    {
        // Item i1 scores 1 and 0 under two treatment seeds -> 0.5; the arm mean is (0.5 + 1 + 0.5) / 3.
        ItemScore[] treatment =
        [
            new("b", "i1", 1, Replicate: 0), new("b", "i1", 0, Replicate: 1),
            new("b", "i2", 1, Replicate: 0), new("b", "i2", 1, Replicate: 1),
            new("b", "i3", 0, Replicate: 0), new("b", "i3", 1, Replicate: 1),
        ];
        ItemScore[] baseline = [new("b", "i1", 0), new("b", "i2", 1), new("b", "i3", 0)];

        var row = HeadlineAnalysis.Analyze(treatment, baseline, Options).Benchmarks.Single();

        Assert.Equal(3, row.Treatment.Count);
        Assert.Equal(2.0 / 3, row.Treatment.Mean, 12);
        Assert.Equal(((2.0 / 3) - (1.0 / 3)) * 100, row.DeltaPoints.Estimate, 10);
    }

    [Fact]
    public void Analyze_SameInputsAndSeed_IsDeterministic()
    {
        // Benchmarks are analysed in parallel; each has its own seed, so results must not depend on scheduling.
        var treatment = Enumerable.Range(0, 12).SelectMany(b => Synthetic.Bernoulli($"b{b}", 100, 0.6, b)).ToList();
        var baseline = Enumerable.Range(0, 12).SelectMany(b => Synthetic.Bernoulli($"b{b}", 100, 0.5, 100 + b)).ToList();

        var first = HeadlineAnalysis.Analyze(treatment, baseline, Options);
        var second = HeadlineAnalysis.Analyze(treatment, baseline, Options);

        Assert.Equal(first.Benchmarks, second.Benchmarks);
    }

    [Fact]
    public void Analyze_BenchmarkInOneArmOnly_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => HeadlineAnalysis.Analyze(
            Synthetic.Bernoulli("only-treatment", 10, 0.5, 1).Concat(Synthetic.Bernoulli("shared", 10, 0.5, 2)),
            Synthetic.Bernoulli("shared", 10, 0.5, 3),
            Options));

        Assert.Contains("only-treatment", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_SingleItemBenchmark_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => HeadlineAnalysis.Analyze([new ItemScore("tiny", "i", 1)], [new ItemScore("tiny", "i", 0), new ItemScore("tiny", "j", 0)], Options));

        Assert.Contains("tiny", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_InvalidOptions_ThrowNamingSetting()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => HeadlineAnalysis.Analyze(
            Synthetic.Bernoulli("b", 10, 0.5, 1), Synthetic.Bernoulli("b", 10, 0.5, 2), Options with { FalseDiscoveryRate = 0 }));

        Assert.Equal("FalseDiscoveryRate", error.ParamName);
    }
}
