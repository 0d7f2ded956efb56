using BeneficialRL.Analysis.HypothesisTests;
using BeneficialRL.Analysis.Items;
using BeneficialRL.Analysis.Refusals;

namespace BeneficialRL.Analysis.Tests.Refusals;

public sealed class PairedNonRefusalAnalysisTests
{
    private static readonly AnalysisOptions Options = new() { BootstrapResamples = 500 };

    [Fact]
    public void Analyze_HandExample_KeepsOnlyItemsBothArmsAnswered()
    {
        // Items a..f. Treatment refuses c, baseline refuses d; f exists only in the treatment arm.
        // Kept: a, b, e with treatment {0.9, 0.8, 0.7} and baseline {0.5, 0.6, 0.6}; differences {0.4, 0.2, 0.1}, mean 0.2333.
        ItemScore[] treatment =
        [
            new("b", "a", 0.9, false), new("b", "b", 0.8, false), new("b", "c", 0.0, true),
            new("b", "d", 0.9, false), new("b", "e", 0.7, false), new("b", "f", 1.0, false),
        ];
        ItemScore[] baseline =
        [
            new("b", "a", 0.5, false), new("b", "b", 0.6, false), new("b", "c", 0.9, false),
            new("b", "d", 0.0, true), new("b", "e", 0.6, false),
        ];

        var row = PairedNonRefusalAnalysis.Analyze(treatment, baseline, Options).Single();

        Assert.Equal((5, 1, 1, 3, 1), (row.PairedItems, row.TreatmentRefusals, row.BaselineRefusals, row.KeptItems, row.UnpairedItems));
        Assert.Equal(0.2, row.TreatmentRefusalRate, 12);
        var expected = PairedTTest.Compare([0.9, 0.8, 0.7], [0.5, 0.6, 0.6]);
        Assert.Equal(expected, row.Test);
        Assert.Equal(23.333333, row.DeltaPoints!.Estimate, 5);
        Assert.Equal(expected.PValue, row.QValue!.Value, 12);
    }

    [Fact]
    public void Analyze_GainFromRefusingHardItems_DisappearsOnNonRefusedItems()
    {
        // Both arms answer equally well, but the treatment refuses (scored 0) the hard items the baseline fails anyway,
        // and the baseline refuses easy ones: the raw difference is large, the paired non-refusal difference is zero.
        var treatment = new List<ItemScore>();
        var baseline = new List<ItemScore>();
        for (var i = 0; i < 200; i++)
        {
            var score = i % 2 == 0 ? 1.0 : 0.0;
            var baselineRefuses = i % 10 == 0;
            treatment.Add(new ItemScore("b", $"i{i}", score, false));
            baseline.Add(new ItemScore("b", $"i{i}", baselineRefuses ? 0.0 : score, baselineRefuses));
        }

        var row = PairedNonRefusalAnalysis.Analyze(treatment, baseline, Options).Single();

        Assert.Equal(180, row.KeptItems);
        Assert.Equal(0.0, row.DeltaPoints!.Estimate, 12);
        Assert.Equal(1.0, row.Test!.PValue);
        Assert.False(row.SignificantImprovement);
    }

    [Fact]
    public void Analyze_MissingRefusalLabel_ThrowsNamingItemAndArm()
    {
        ItemScore[] treatment = [new("b", "a", 1, false), new("b", "b", 1, null)];
        ItemScore[] baseline = [new("b", "a", 1, false), new("b", "b", 1, false)];

        var error = Assert.Throws<ArgumentException>(() => PairedNonRefusalAnalysis.Analyze(treatment, baseline, Options));

        Assert.Contains("b/b", error.Message, StringComparison.Ordinal);
        Assert.Contains("treatment", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_TooFewKeptItems_ReportsCountsWithoutTest()
    {
        ItemScore[] treatment = [new("b", "a", 1, false), new("b", "b", 0, true)];
        ItemScore[] baseline = [new("b", "a", 1, false), new("b", "b", 1, false)];

        var row = PairedNonRefusalAnalysis.Analyze(treatment, baseline, Options).Single();

        Assert.Equal(1, row.KeptItems);
        Assert.Null(row.Test);
        Assert.Null(row.QValue);
    }
}
