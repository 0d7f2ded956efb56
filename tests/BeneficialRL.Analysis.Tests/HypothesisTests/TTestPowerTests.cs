using BeneficialRL.Analysis.HypothesisTests;
using MathNet.Numerics.Distributions;

namespace BeneficialRL.Analysis.Tests.HypothesisTests;

public sealed class TTestPowerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(30)]
    public void TwoSided_NoEffect_EqualsTheLevel(int degreesOfFreedom)
    {
        Assert.Equal(0.05, TTestPower.TwoSided(0, degreesOfFreedom, 0.05), 6);
    }

    [Fact]
    public void TwoSided_RPowerTTestExample_MatchesPublishedValue()
    {
        // R: power.t.test(n = 20, delta = 1, sd = 1) = 0.8689528 (two-sample, df = 38, λ = √10; R counts
        // the upper tail only, the lower tail adds ~1e-7 here).
        Assert.Equal(0.8689528, TTestPower.TwoSided(Math.Sqrt(10), 38, 0.05), 4);
    }

    [Theory]
    [InlineData(2.0, 3)]
    [InlineData(4.0, 2)]
    [InlineData(1.0, 1)]
    public void TwoSided_SmallDegreesOfFreedom_MatchesMonteCarloOfNoncentralT(double lambda, int degreesOfFreedom)
    {
        // Independent computation: draw T' = (Z + λ) / √(χ²ν/ν) and count |T'| > t crit.
        const int Draws = 200_000;
        var random = new Random(42);
        var critical = StudentT.InvCDF(0, 1, degreesOfFreedom, 0.975);
        var rejections = 0;
        for (var k = 0; k < Draws; k++)
        {
            var t = (Normal.Sample(random, 0, 1) + lambda) / Math.Sqrt(ChiSquared.Sample(random, degreesOfFreedom) / degreesOfFreedom);
            rejections += Math.Abs(t) > critical ? 1 : 0;
        }

        var simulated = (double)rejections / Draws;
        var tolerance = 4 * Math.Sqrt(simulated * (1 - simulated) / Draws);
        Assert.InRange(TTestPower.TwoSided(lambda, degreesOfFreedom, 0.05), simulated - tolerance, simulated + tolerance);
    }

    [Fact]
    public void ForMean_NoVariance_IsCertainForAnyEffect()
    {
        Assert.Equal(1, TTestPower.ForMean(0.05, 0, 3, 0.05));
    }

    [Fact]
    public void ForMean_OneReplicate_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TTestPower.ForMean(0.05, 0.01, 1, 0.05));
    }
}
