using BeneficialRL.Analysis.Items;
using BeneficialRL.Analysis.Durability;

namespace BeneficialRL.Analysis.Tests.Durability;

public sealed class DegradationAnalysisTests
{
    private static readonly AnalysisOptions Options = new() { BootstrapResamples = 500 };

    [Fact]
    public void Compare_HandExample_DifferenceOfMeanDegradationsInPoints()
    {
        // Treatment loses item 3 only: degradations {0,0,1,0}, mean 0.25 (25 points).
        // Baseline loses items 1 and 2: {1,1,0,0}, mean 0.5 (50 points). Difference -25 points.
        var treatment = new PersistenceArm(Items("b", 1, 1, 1, 1), Items("b", 1, 1, 0, 1));
        var baseline = new PersistenceArm(Items("b", 1, 1, 1, 1), Items("b", 0, 0, 1, 1));

        var comparison = DegradationAnalysis.Compare(treatment, baseline, Options);

        Assert.Equal("all", comparison.Group);
        Assert.Equal(25, comparison.Treatment.DegradationPoints.Estimate, 10);
        Assert.Equal(100, comparison.Treatment.CleanMeanPoints, 10);
        Assert.Equal(75, comparison.Treatment.AttackedMeanPoints, 10);
        Assert.Equal(50, comparison.Baseline.DegradationPoints.Estimate, 10);
        Assert.Equal(-25, comparison.DifferencePoints.Estimate, 10);
        Assert.Equal(-0.25, comparison.Welch.MeanDifference, 12);
        Assert.Null(comparison.QValue);
    }

    [Fact]
    public void DeltaTable_PerGroup_SeparatesPersistentAndFragileGroups()
    {
        // Group "ethics": treatment keeps its scores, baseline loses 40 points. Group "math": both lose about 10 points.
        var treatmentClean = Synthetic.Bernoulli("ethics-1", 200, 0.9, 1).Concat(Synthetic.Bernoulli("math-1", 200, 0.6, 2)).ToList();
        var baselineClean = Synthetic.Bernoulli("ethics-1", 200, 0.9, 3).Concat(Synthetic.Bernoulli("math-1", 200, 0.6, 4)).ToList();
        var treatmentAttacked = treatmentClean.Select((s, i) => s.BenchmarkId.StartsWith("math", StringComparison.Ordinal) && i % 10 == 0 ? s with { Score = 0 } : s).ToList();
        var baselineAttacked = baselineClean.Select((s, i) => (s.BenchmarkId.StartsWith("ethics", StringComparison.Ordinal) && i % 5 < 2) || (s.BenchmarkId.StartsWith("math", StringComparison.Ordinal) && i % 10 == 0) ? s with { Score = 0 } : s).ToList();

        var table = DegradationAnalysis.DeltaTable(
            new PersistenceArm(treatmentClean, treatmentAttacked),
            new PersistenceArm(baselineClean, baselineAttacked),
            groupOf: id => id.Split('-')[0],
            options: Options);

        Assert.Equal(["ethics", "math"], table.Select(r => r.Group));
        Assert.True(table[0].DifferencePoints.Interval.Upper < 0);
        Assert.True(table[0].QValue < 0.05);
        Assert.True(table[1].DifferencePoints.Interval.Contains(0));
        Assert.Equal(0, table[0].Treatment.DegradationPoints.Estimate, 10);
    }

    [Fact]
    public void Compare_NoPairedItems_ThrowsNamingArm()
    {
        var treatment = new PersistenceArm(Items("b", 1, 1), Items("other", 1, 1));
        var baseline = new PersistenceArm(Items("b", 1, 1), Items("b", 0, 0));

        var error = Assert.Throws<ArgumentException>(() => DegradationAnalysis.Compare(treatment, baseline, Options));

        Assert.Contains("treatment has 0", error.Message, StringComparison.Ordinal);
    }

    private static List<ItemScore> Items(string benchmark, params double[] scores) =>
        scores.Select((s, i) => new ItemScore(benchmark, $"i{i}", s)).ToList();
}
