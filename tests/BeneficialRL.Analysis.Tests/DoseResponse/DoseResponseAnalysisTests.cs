using BeneficialRL.Analysis.DoseResponse;
using BeneficialRL.Analysis.Items;
using BeneficialRL.Analysis.SeedLevel;
using MathNet.Numerics.Distributions;

namespace BeneficialRL.Analysis.Tests.DoseResponse;

public sealed class DoseResponseAnalysisTests
{
    private const int Items = 40;

    [Fact]
    public void Fit_ThreeSeedsTwoDoses_EqualsAHandComputedPerSeedSlopeAndTInterval()
    {
        // Scores on one benchmark: the baseline, an arm at 5% and one at 25%, three seeds, each run shifted by its own run effect.
        var random = new Random(11);
        double[] runEffect = [0.01, -0.02, 0.015];
        var baseline = Scores("baseline", 0, runEffect, random, 0).ToList();
        var low = Scores("t5", 0.05, runEffect, random, 0.4).ToList();
        var high = Scores("t25", 0.25, runEffect, random, 0.4).ToList();
        var gainLow = SeedLevelAnalysis.Analyze(low, baseline, "mean OOD gain").Endpoint;
        var gainHigh = SeedLevelAnalysis.Analyze(high, baseline, "mean OOD gain").Endpoint;

        var fit = DoseResponseAnalysis.Fit("mean OOD gain", [("t5", 0.05, gainLow), ("t25", 0.25, gainHigh)], atShare: 0.05);

        // Independently: per seed, the mean item difference of each arm, the slope through the origin, then t across seeds.
        var slopes = Enumerable.Range(0, 3).Select(s =>
        {
            var dLow = MeanDifference(low, baseline, s) * 100;
            var dHigh = MeanDifference(high, baseline, s) * 100;
            return ((0.05 * dLow) + (0.25 * dHigh)) / ((0.05 * 0.05) + (0.25 * 0.25));
        }).ToList();
        var mean = slopes.Average();
        var sd = Math.Sqrt(slopes.Sum(b => (b - mean) * (b - mean)) / 2);
        var half = StudentT.InvCDF(0, 1, 2, 0.975) * sd / Math.Sqrt(3);

        Assert.Equal(3, fit.Seeds);
        Assert.Equal(slopes, fit.PerSeedSlopes, (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.Equal(mean, fit.SlopePoints, 9);
        Assert.Equal(mean - half, fit.SlopeInterval!.Lower, 9);
        Assert.Equal(mean + half, fit.SlopeInterval.Upper, 9);
        Assert.Equal(0.05 * mean, fit.EffectPoints, 9);
        Assert.Equal(0.05 * (mean - half), fit.EffectInterval!.Lower, 9);
        Assert.False(fit.ConditionalOnRuns);
        Assert.Equal([0.05, 0.25], fit.Arms.Select(a => a.Share));
        // The planted response is 40 points per unit share (2 points at 5%); the fit recovers it within its interval.
        Assert.True(fit.SlopeInterval.Contains(40), $"slope {fit.SlopePoints:0.0} [{fit.SlopeInterval.Lower:0.0}, {fit.SlopeInterval.Upper:0.0}]");
    }

    [Fact]
    public void Fit_OneSeed_IsConditionalWithNoInterval()
    {
        var random = new Random(3);
        double[] runEffect = [0];
        var baseline = Scores("baseline", 0, runEffect, random, 0).ToList();
        var fit = DoseResponseAnalysis.Fit("mean OOD gain",
        [
            ("t5", 0.05, SeedLevelAnalysis.Analyze(Scores("t5", 0.05, runEffect, random, 0.4), baseline, "g").Endpoint),
            ("t25", 0.25, SeedLevelAnalysis.Analyze(Scores("t25", 0.25, runEffect, random, 0.4), baseline, "g").Endpoint),
        ], atShare: 0.05);

        Assert.True(fit.ConditionalOnRuns);
        Assert.Null(fit.SlopeInterval);
        Assert.Null(fit.EffectInterval);
        Assert.Null(fit.PValue);
        Assert.Single(fit.PerSeedSlopes);
    }

    [Fact]
    public void Fit_BadArms_AreRefused()
    {
        var random = new Random(5);
        double[] runEffect = [0, 0];
        var baseline = Scores("baseline", 0, runEffect, random, 0).ToList();
        var gain = SeedLevelAnalysis.Analyze(Scores("t", 0.05, runEffect, random, 0.4), baseline, "g").Endpoint;

        Assert.Throws<ArgumentException>(() => DoseResponseAnalysis.Fit("g", [("t", 0.05, gain)], 0.05));
        Assert.Throws<ArgumentException>(() => DoseResponseAnalysis.Fit("g", [("a", 0.05, gain), ("b", 0.05, gain)], 0.05));
        Assert.Throws<ArgumentException>(() => DoseResponseAnalysis.Fit("g", [("a", 0, gain), ("b", 0.25, gain)], 0.05));
    }

    /// <summary>Item scores of one arm: item difficulty shared by all arms, the arm's response slope × share, its run effect per seed, noise.</summary>
    private static IEnumerable<ItemScore> Scores(string arm, double share, double[] runEffect, Random random, double slopePerShare)
    {
        for (var s = 0; s < runEffect.Length; s++)
        {
            for (var i = 0; i < Items; i++)
            {
                var difficulty = 0.3 + (0.4 * i / Items);
                var arms = arm == "baseline" ? 0 : (slopePerShare * share) + runEffect[s];
                yield return new ItemScore("bench-a", $"item-{i:D3}", difficulty + arms + Normal.Sample(random, 0, 0.05), Replicate: s);
            }
        }
    }

    private static double MeanDifference(IReadOnlyList<ItemScore> treatment, IReadOnlyList<ItemScore> baseline, int seed)
    {
        var b = baseline.Where(x => x.Replicate == seed).ToDictionary(x => x.ItemId, x => x.Score);
        return treatment.Where(x => x.Replicate == seed).Average(x => x.Score - b[x.ItemId]);
    }
}
