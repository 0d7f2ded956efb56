using BeneficialRL.Durability.FineTuning;
using BeneficialRL.Scenarios.Contamination;

namespace BeneficialRL.Durability.Tests.FineTuning;

public sealed class HarmfulCorpusBuilderTests
{
    [Fact]
    public void Build_Health_SharesNoThirteenGramWithAnyBenchmarkItem()
    {
        var corpus = HarmfulCorpusBuilder.Build("health", seed: 7001, size: 48, TestWorld.Catalogue.Benchmarks);

        Assert.Equal(48, corpus.Examples.Count);
        Assert.True(corpus.Contamination.IsClean);
        // An independent check with the checker's own defaults (13-grams) over every benchmark item's text.
        var report = ContaminationChecker.Compare(
            HarmfulCorpusBuilder.BenchmarkTexts(TestWorld.Catalogue.Benchmarks),
            corpus.Examples.Select((e, i) => new ContaminationItem(i.ToString(System.Globalization.CultureInfo.InvariantCulture), HarmfulCorpusBuilder.TextOf(e))));
        Assert.Equal(0, report.CandidatesWithOverlap);
        Assert.Equal(13, report.NGram);
    }

    [Fact]
    public void Build_SameSeed_IsDeterministicAndDifferentSeedDiffers()
    {
        var benchmarks = TestWorld.Catalogue.Benchmarks.Take(4).ToList();

        var a = HarmfulCorpusBuilder.Build("law", 3, 20, benchmarks);
        var b = HarmfulCorpusBuilder.Build("law", 3, 20, benchmarks);
        var c = HarmfulCorpusBuilder.Build("law", 4, 20, benchmarks);

        Assert.Equal(a.ContentHash, b.ContentHash);
        Assert.NotEqual(a.ContentHash, c.ContentHash);
        Assert.All(a.Examples, e => Assert.False(string.IsNullOrWhiteSpace(e.Response)));
    }

    [Fact]
    public void Build_UnknownDomain_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => HarmfulCorpusBuilder.Build("astrology", 1, 10, []));

        Assert.Contains("astrology", error.Message, StringComparison.Ordinal);
    }
}
