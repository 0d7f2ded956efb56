using BeneficialRL.Experiments.Analysis;

namespace BeneficialRL.Experiments.Tests.Analysis;

public sealed class RewardHackingAlarmTests
{
    [Fact]
    public void Detect_PlantedRewardUpHeldOutDown_Fires()
    {
        // Healthy for three checkpoints, then reward keeps climbing while the held-out score drops.
        CurvePoint[] points =
        [
            new(0, 0.30, 0.40), new(10, 0.35, 0.42), new(20, 0.40, 0.44),
            new(30, 0.50, 0.40), new(40, 0.60, 0.35), new(50, 0.70, 0.30),
        ];

        var verdict = RewardHackingAlarm.Detect(points, window: 3);

        Assert.True(verdict.Fired);
        Assert.Contains(verdict.Windows, w => w.FromStep == 30 && w.ToStep == 50);
        Assert.DoesNotContain(verdict.Windows, w => w.ToStep <= 20);
        Assert.All(verdict.Windows, w => Assert.True(w.RewardChange > 0 && w.HeldOutChange < 0));
    }

    [Fact]
    public void Detect_BothRising_DoesNotFire()
    {
        CurvePoint[] points = [new(0, 0.3, 0.4), new(10, 0.4, 0.45), new(20, 0.5, 0.5), new(30, 0.6, 0.55)];

        Assert.False(RewardHackingAlarm.Detect(points, window: 3).Fired);
    }

    [Fact]
    public void Detect_NoiseBelowThreshold_DoesNotFire()
    {
        CurvePoint[] points = [new(0, 0.500, 0.400), new(10, 0.505, 0.398), new(20, 0.510, 0.396)];

        Assert.False(RewardHackingAlarm.Detect(points, window: 3).Fired);
    }

    [Fact]
    public void Detect_UnevaluatedCheckpoints_AreSkipped()
    {
        CurvePoint[] points = [new(0, 0.3, double.NaN), new(10, 0.4, 0.5)];

        var verdict = RewardHackingAlarm.Detect(points, window: 2);

        Assert.False(verdict.Fired);
        Assert.Equal(1, verdict.Checkpoints);
    }
}
