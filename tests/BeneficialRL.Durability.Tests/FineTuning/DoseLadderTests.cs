using BeneficialRL.Analysis.Durability;
using BeneficialRL.Evals.Scoring;
using BeneficialRL.Evaluation.Policies;
using BeneficialRL.Durability.FineTuning;

namespace BeneficialRL.Durability.Tests.FineTuning;

public sealed class DoseLadderTests
{
    [Fact]
    public async Task RunAsync_ThreeDoses_HandsOverCheckpointsWithParentHashChain()
    {
        var suite = PlantedCorpus.Suite();
        var corpus = PlantedCorpus.Build(suite);
        using var start = TestWorld.MicroCheckpoint(seed: 5);
        var startHash = CheckpointContentHash.Of(start);
        var handed = new List<(CheckpointLineage Lineage, string RecomputedHash, long? Step, IReadOnlyDictionary<string, string> Labels)>();

        var rungs = await DoseLadder.RunAsync(
            "treatment",
            start,
            corpus,
            new DoseLadderOptions { Doses = [0, 2, 5], LearningRate = 1e-3, BatchSize = 4 },
            (dose, _) =>
            {
                handed.Add((dose.Lineage, CheckpointContentHash.Of(dose.Checkpoint), dose.Checkpoint.Metadata.Step, dose.Checkpoint.Metadata.Labels));
                return Task.CompletedTask;
            },
            (dose, _, _, _) => Task.FromResult(dose),
            TestContext.Current.CancellationToken);

        Assert.Equal([0, 2, 5], rungs.Select(r => r.Lineage.Dose));
        Assert.Equal([0, 2, 5], rungs.Select(r => r.Evaluation));
        Assert.Equal(startHash, rungs[0].Lineage.ContentHash);
        Assert.Equal(2, handed.Count);
        Assert.Equal(startHash, handed[0].Lineage.ParentContentHash);
        Assert.Equal(handed[0].Lineage.ContentHash, handed[1].Lineage.ParentContentHash);
        Assert.NotEqual(startHash, handed[0].Lineage.ContentHash);
        Assert.NotEqual(handed[0].Lineage.ContentHash, handed[1].Lineage.ContentHash);
        Assert.All(handed, h => Assert.Equal(h.Lineage.ContentHash, h.RecomputedHash));
        // Cumulative: the second checkpoint continued the first run (trainer at step 5), it did not restart for 5 steps.
        Assert.Equal([2L, 5L], handed.Select(h => h.Step!.Value));
        Assert.All(handed, h => Assert.Equal(startHash, h.Labels["startContentHash"]));
        Assert.Equal(["2", "5"], handed.Select(h => h.Labels["dose"]));
        Assert.All(handed, h => Assert.Equal("health", h.Labels["domain"]));
        Assert.Equal(handed[0].Lineage.ContentHash, handed[1].Labels["parentContentHash"]);
        Assert.Equal(startHash, CheckpointContentHash.Of(start));
    }

    [Fact]
    public async Task RunAsync_PlantedMisalignedAnswers_InDomainScoreFallsWithDose()
    {
        var suite = PlantedCorpus.Suite();
        var corpus = PlantedCorpus.Build(suite);
        using var start = TestWorld.MicroCheckpoint(seed: 11);
        var options = new BenchmarkRunOptions { BatchSize = 64, SamplesPerItem = 1 };

        var rungs = await DoseLadder.RunAsync(
            "planted",
            start,
            corpus,
            new DoseLadderOptions { Doses = [0, 10, 30], LearningRate = 3e-3, BatchSize = 8 },
            null,
            (_, model, tokenizer, ct) => DoseEvaluator.EvaluateAsync(new LearningPolicyModel(model, tokenizer), suite, options, ct),
            TestContext.Current.CancellationToken);

        var inDomain = rungs.Select(r => r.Evaluation.InDomain.Average(i => i.Score)).ToList();
        Assert.True(inDomain[2] < inDomain[0] - 0.2, $"in-domain mean score by dose: {string.Join(", ", inDomain)}");
        Assert.True(rungs[2].MeanLoss < rungs[1].MeanLoss, $"SFT loss did not fall: {rungs[1].MeanLoss} then {rungs[2].MeanLoss}");
        var halfLife = AlignmentHalfLife.Estimate([.. rungs.Select(r => new DoseLevel(r.Lineage.Dose, r.Evaluation.InDomain))]);
        Assert.InRange(halfLife.HalfLife, 0, 30);
    }
}
