using BeneficialRL.Experiments.Compute;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;

namespace BeneficialRL.Experiments.Tests.Compute;

public sealed class ComputeMatchingTests
{
    [Fact]
    public void Check_ArmWithMoreSteps_IsAValidationError()
    {
        var definition = ExperimentPresets.Get("quick");
        definition = definition with { Arms = [definition.Arms[0], definition.Arms[1] with { Budget = definition.Budget with { Steps = definition.Budget.Steps + 1, GroupSize = 8 } }] };

        var errors = ExperimentValidator.Validate(definition);

        Assert.Contains(errors, e => e.Path == "$.arms[1].budget.steps");
        Assert.Contains(errors, e => e.Path == "$.arms[1].budget.groupSize");
    }

    [Fact]
    public void Check_ArmWithOtherSeedsOrStart_IsAValidationError()
    {
        var definition = ExperimentPresets.Get("quick");
        definition = definition with { Arms = [definition.Arms[0] with { Seeds = [1, 2] }, definition.Arms[1] with { StartingCheckpointId = "other" }] };

        var paths = ComputeMatching.Check(definition).Select(e => e.Path).ToList();

        Assert.Contains("$.arms[0].seeds", paths);
        Assert.Contains("$.arms[1].startingCheckpointId", paths);
    }

    [Fact]
    public void Check_MatchedOverrides_AreAccepted()
    {
        var definition = ExperimentPresets.Get("quick");
        definition = definition with { Arms = [definition.Arms[0] with { Seeds = definition.Seeds, Budget = definition.Budget with { CheckpointEvery = 1 } }, definition.Arms[1]] };

        Assert.Empty(ComputeMatching.Check(definition));
    }

    [Fact]
    public void Ledger_WithinTwoPercent_IsNotFlagged()
    {
        var ledger = ComputeLedger.FromRecords([Record("a", 1000, 4000, 1e9), Record("b", 1015, 4050, 1.01e9)]);

        Assert.False(ledger.Mismatch);
        Assert.Equal(0.015, ledger.TokensGeneratedMismatch, 6);
        Assert.Equal(2, ledger.Arms.Count);
    }

    [Fact]
    public void Ledger_AboveTwoPercent_IsFlagged()
    {
        var ledger = ComputeLedger.FromRecords([Record("a", 1000, 4000, 1e9), Record("a", 1000, 4000, 1e9), Record("b", 2000, 8400, 2.1e9)]);

        Assert.True(ledger.Mismatch);
        Assert.Equal(0.05, ledger.TokensTrainedMismatch, 6);
        Assert.Equal(2, ledger.Arms.Single(a => a.Arm == "a").Steps);
    }

    private static TrainingStepRecord Record(string arm, long generated, long trained, double flops) => new()
    {
        Step = 0,
        Arm = arm,
        Seed = 1,
        MeanReward = 0.5,
        RewardStd = 0.1,
        SliceRewards = new Dictionary<string, SliceRewardStats>(),
        Kl = 0,
        Entropy = 1,
        ClipFraction = 0,
        ZeroVarianceFraction = 0,
        Loss = 0,
        LearningRate = 1e-4,
        TokensGenerated = generated,
        TokensTrained = trained,
        EstimatedFlops = flops,
        WallSeconds = 1,
    };
}
