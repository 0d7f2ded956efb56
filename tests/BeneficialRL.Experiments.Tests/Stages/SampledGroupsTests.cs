using BeneficialRL.Experiments.Stages;

namespace BeneficialRL.Experiments.Tests.Stages;

public sealed class SampledGroupsTests
{
    [Fact]
    public void Records_400StepsCheckpointEvery50_FirstEveryIntervalAndLast()
    {
        Assert.Equal([0L, 50, 100, 150, 200, 250, 300, 350, 399], SampledGroups.RecordedSteps(400, 50).ToArray());
        Assert.Equal([0L, 2, 3], SampledGroups.RecordedSteps(4, 2).ToArray());
    }

    [Fact]
    public void Choose_TwoSlices_RoundRobinSoTheSmallSliceIsRecorded_AtMostFour()
    {
        var batch = new[] { ("a", "standard"), ("b", "standard"), ("c", "standard"), ("d", "standard"), ("e", "standard"), ("t", "traits") };
        Assert.Equal(["a", "t", "b", "c"], SampledGroups.Choose(batch));
    }

    [Fact]
    public void Advantages_AsTheTrainerComputesThem_CentredScaledAndZeroWithoutVariance()
    {
        var advantages = SampledGroups.Advantages([0.0, 0.5, 1.0]);
        var std = Math.Sqrt((0.25 + 0 + 0.25) / 3);
        Assert.Equal(-0.5 / (std + 1e-6), advantages[0], 9);
        Assert.Equal(0, advantages[1], 9);
        Assert.Equal(0, advantages.Sum(), 9);
        Assert.All(SampledGroups.Advantages([0.3, 0.3, 0.3]), a => Assert.Equal(0, a));
        Assert.Equal(0, SampledGroups.Advantages([0.2, double.NaN, 0.8])[1]); // a failed score trains on nothing
    }
}
