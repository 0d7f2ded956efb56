using BeneficialRL.Evals.Scoring;
using BeneficialRL.Experiments.Evaluation;
using BeneficialRL.Experiments.Reports;

namespace BeneficialRL.Experiments.Tests.Reports;

public sealed class PairedItemsTests
{
    private static CheckpointEvaluation Evaluation(string arm, long seed, params (string Item, double Score)[] items) =>
        new(arm, seed, 4, [new BenchmarkEvaluation("b1", "sycophancy", "ood",
            new BenchmarkScoreSummary("b1", "1", "hash", items.Length, 0, 0, new Dictionary<string, double>()),
            [.. items.Select(i => new BenchmarkItemResult(i.Item, i.Score, "health", []))])], 1);

    [Fact]
    public void Pair_TwoSeedsPerArm_MeansPerArm_SortedByDifference_ItemsOneArmLacksLeftOut()
    {
        var evaluations = new[]
        {
            Evaluation("treatment", 2, ("x", 1.0), ("y", 0.0), ("z", 0.5)),
            Evaluation("baseline", 1, ("x", 0.0), ("y", 0.5), ("only-baseline", 1)),
            Evaluation("treatment", 1, ("x", 0.5), ("y", 0.0), ("z", 0.5)),
            Evaluation("baseline", 2, ("x", 0.5), ("y", 0.5)),
        };

        var paired = PairedItems.Pair(evaluations, "baseline", "treatment", "b1");

        Assert.Equal(["x", "y"], paired.Select(p => p.ItemId).ToArray());
        Assert.Equal(0.5, paired[0].Difference, 9); // (1.0 + 0.5) / 2 − (0 + 0.5) / 2
        Assert.Equal(-0.5, paired[1].Difference, 9);
        Assert.Equal(["baseline", "baseline", "treatment", "treatment"], paired[0].Runs.Select(r => r.Arm).ToArray());
        Assert.Equal([1L, 2, 1, 2], paired[0].Runs.Select(r => r.Seed).ToArray());
        var benchmark = Assert.Single(PairedItems.Benchmarks(evaluations, "baseline", "treatment"));
        Assert.Equal(2, benchmark.Items);
        Assert.Equal(0, benchmark.MeanDifference, 9);
    }
}
