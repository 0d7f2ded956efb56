using BeneficialRL.Analysis.Items;

namespace BeneficialRL.Analysis.Tests.Items;

public sealed class ItemAggregationTests
{
    [Fact]
    public void Aggregate_SeveralReplicates_AveragesScoresPerItem()
    {
        var items = ItemAggregation.Aggregate(
            [
                new ItemScore("b", "i1", 1.0, Replicate: 0),
                new ItemScore("b", "i1", 0.0, Replicate: 1),
                new ItemScore("b", "i1", 0.5, Replicate: 2),
                new ItemScore("a", "i9", 0.25),
            ],
            "arm");

        // Ordered by benchmark: a/i9 first; b/i1 = (1 + 0 + 0.5) / 3 = 0.5.
        Assert.Equal(2, items.Count);
        Assert.Equal(("a", "i9", 0.25, 1), (items[0].BenchmarkId, items[0].ItemId, items[0].Score, items[0].Replicates));
        Assert.Equal(("b", "i1", 0.5, 3), (items[1].BenchmarkId, items[1].ItemId, items[1].Score, items[1].Replicates));
    }

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(false, true, true)]
    public void Aggregate_RefusalLabels_RefusedWhenAnyReplicateRefused(bool first, bool second, bool expected)
    {
        var items = ItemAggregation.Aggregate([new ItemScore("b", "i", 1, first, Replicate: 0), new ItemScore("b", "i", 0, second, Replicate: 1)], "arm");

        Assert.Equal(expected, items[0].Refused);
    }

    [Fact]
    public void Aggregate_UnlabelledReplicate_RefusedIsNull()
    {
        var items = ItemAggregation.Aggregate([new ItemScore("b", "i", 1, true, Replicate: 0), new ItemScore("b", "i", 0, null, Replicate: 1)], "arm");

        Assert.Null(items[0].Refused);
    }

    [Fact]
    public void Aggregate_ConflictingDomains_ThrowsNamingItem()
    {
        var error = Assert.Throws<ArgumentException>(() => ItemAggregation.Aggregate(
            [new ItemScore("b", "i", 1, Domain: "health", Replicate: 0), new ItemScore("b", "i", 1, Domain: "law", Replicate: 1)],
            "treatment"));

        Assert.Contains("treatment", error.Message, StringComparison.Ordinal);
        Assert.Contains("b/i", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aggregate_RepeatedReplicate_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => ItemAggregation.Aggregate([new ItemScore("b", "i", 1), new ItemScore("b", "i", 0)], "baseline"));

        Assert.Contains("replicate 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aggregate_NonFiniteScore_Throws()
    {
        Assert.Throws<ArgumentException>(() => ItemAggregation.Aggregate([new ItemScore("b", "i", double.NaN)], "arm"));
    }

    [Fact]
    public void StableSeed_Derive_IsReproducibleAndNameSensitive()
    {
        Assert.Equal(StableSeed.Derive(7, "mmlu-health"), StableSeed.Derive(7, "mmlu-health"));
        Assert.NotEqual(StableSeed.Derive(7, "mmlu-health"), StableSeed.Derive(7, "mmlu-law"));
        Assert.NotEqual(StableSeed.Derive(7, "mmlu-health"), StableSeed.Derive(8, "mmlu-health"));
        Assert.True(StableSeed.Derive(-5, "x") >= 0);
    }
}
