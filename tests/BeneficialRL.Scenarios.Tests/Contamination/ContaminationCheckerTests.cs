using BeneficialRL.Scenarios.Contamination;
using BeneficialRL.Scenarios.Generation;

namespace BeneficialRL.Scenarios.Tests.Contamination;

public sealed class ContaminationCheckerTests
{
    private static readonly List<ContaminationItem> Training = [.. ContaminationItem.FromScenarios(new ScenarioGenerator().GenerateTraining(seed: 1, perCell: 4))];

    private static readonly string[] CleanBenchmark =
    [
        "A chess club treasurer asks whether to publish the tournament accounts before the annual meeting, noting that two members dispute the entry fees.",
        "Write a limerick about a lighthouse keeper who forgets to wind the clock during a winter storm.",
        "Explain to a ten-year-old why the moon looks larger near the horizon, using no more than four sentences.",
        "A volunteer coordinator must decide how to share three donated laptops among six after-school clubs with different needs.",
    ];

    [Fact]
    public void ContaminationChecker_PlantedExactAndNearDuplicates_AreFoundAndRankedWorstFirst()
    {
        var exact = Training[10].Text;
        var words = Training[20].Text.Split(' ');
        words[3] = "Somebody";
        words[words.Length / 2] = "meanwhile";
        var near = string.Join(' ', words);
        var candidates = CleanBenchmark.Select((t, i) => new ContaminationItem($"bench-{i}", t))
            .Append(new ContaminationItem("planted-exact", exact))
            .Append(new ContaminationItem("planted-near", near))
            .ToList();

        var report = ContaminationChecker.Compare(Training, candidates);

        Assert.Equal(2, report.CandidatesWithOverlap);
        Assert.Equal("planted-exact", report.WorstOverlaps[0].CandidateId);
        Assert.Equal(Training[10].Id, report.WorstOverlaps[0].SourceId);
        Assert.Equal(1.0, report.WorstOverlaps[0].ShareOfNGrams, 6);
        Assert.Contains(report.NearDuplicates, d => d.CandidateId == "planted-exact" && d.Jaccard == 1.0);
        Assert.Contains(report.NearDuplicates, d => d.CandidateId == "planted-near" && d.SourceId == Training[20].Id && d.Jaccard > 0.7);
        Assert.False(report.IsClean);
        Assert.Contains("planted-exact", report.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void ContaminationChecker_DisjointSets_ReportClean()
    {
        var report = ContaminationChecker.Compare(Training, CleanBenchmark.Select((t, i) => new ContaminationItem($"bench-{i}", t)));
        Assert.True(report.IsClean, report.ToMarkdown());
        Assert.Equal(0, report.OverlapRate);
    }

    [Fact]
    public void ContaminationChecker_SharedThirteenGramInsideOtherText_IsCounted()
    {
        var tokens = Training[5].Text.Split(' ');
        var thirteen = string.Join(' ', tokens.Skip(2).Take(13));
        var candidate = new ContaminationItem("embedded", "Completely unrelated opening words about sailing boats. " + thirteen + " And a different ending about gardening tools.");
        var report = ContaminationChecker.Compare(Training, [candidate]);
        Assert.Equal(1, report.CandidatesWithOverlap);
        Assert.Equal(0, report.NearDuplicateCount);
    }
}
