using BeneficialRL.Analysis.HypothesisTests;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace BeneficialRL.Analysis.Tests.HypothesisTests;

public sealed class WelchTestTests
{
    [Fact]
    public void Compare_HandExample_MatchesHandArithmetic()
    {
        // a = {2,4,6}: mean 4, s² = 4, s²/n = 4/3. b = {1,2,3,4,5}: mean 3, s² = 2.5, s²/n = 0.5.
        // SE = sqrt(4/3 + 0.5) = sqrt(1.833333) = 1.3540064; t = 1 / 1.3540064 = 0.7385489.
        // df = 1.833333² / ((4/3)²/2 + 0.5²/4) = 3.3611111 / (0.8888889 + 0.0625) = 3.5328467.
        var result = WelchTest.Compare([2, 4, 6], [1, 2, 3, 4, 5]);

        Assert.Equal(1.0, result.MeanDifference, 12);
        Assert.Equal(1.3540064, result.StandardError, 6);
        Assert.Equal(0.7385489, result.T, 6);
        Assert.Equal(3.5328467, result.DegreesOfFreedom, 6);
        Assert.Equal(2 * (1 - StudentT.CDF(0, 1, 3.5328467, 0.7385489)), result.PValue, 5);
    }

    [Fact]
    public void Compare_TwoDegreesOfFreedom_MatchesClosedFormTailWithoutMathNet()
    {
        // a = {0,2}, b = {3,5}: both s² = 2, s²/n = 1; SE = sqrt 2, t = -3/sqrt 2 = -2.1213203;
        // df = (1+1)² / (1/1 + 1/1) = 2. For 2 df, P(|T| > t) = 1 - t/sqrt(2 + t²) = 1 - 2.1213203/2.5495098 = 0.1679497.
        var result = WelchTest.Compare([0, 2], [3, 5]);

        Assert.Equal(-2.1213203, result.T, 6);
        Assert.Equal(2.0, result.DegreesOfFreedom, 12);
        Assert.Equal(0.1679497, result.PValue, 6);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Compare_RandomSamples_MatchesMathNetReference(int seed)
    {
        var random = new Random(seed);
        var a = Enumerable.Range(0, 25).Select(_ => Normal.Sample(random, 0.6, 0.2)).ToArray();
        var b = Enumerable.Range(0, 40).Select(_ => Normal.Sample(random, 0.5, 0.35)).ToArray();

        var result = WelchTest.Compare(a, b);

        var va = a.Variance() / a.Length;
        var vb = b.Variance() / b.Length;
        var t = (a.Mean() - b.Mean()) / Math.Sqrt(va + vb);
        var df = Math.Pow(va + vb, 2) / ((va * va / (a.Length - 1)) + (vb * vb / (b.Length - 1)));
        var p = 2 * StudentT.CDF(0, 1, df, -Math.Abs(t));
        Assert.Equal(t, result.T, 10);
        Assert.Equal(df, result.DegreesOfFreedom, 10);
        Assert.Equal(p, result.PValue, 10);
    }

    [Fact]
    public void Compare_ConstantSamples_IsDegenerateButDefined()
    {
        var same = WelchTest.Compare([1, 1, 1], [1, 1]);
        var different = WelchTest.Compare([1, 1, 1], [0, 0]);

        Assert.Equal((0.0, 1.0), (same.T, same.PValue));
        Assert.Equal(double.PositiveInfinity, different.T);
        Assert.Equal(0.0, different.PValue);
        Assert.Equal(3.0, different.DegreesOfFreedom);
    }

    [Fact]
    public void Compare_FewerThanTwoValues_ThrowsNamingSample()
    {
        var error = Assert.Throws<ArgumentException>(() => WelchTest.Compare([1, 2], [3]));

        Assert.Contains("second sample has 1", error.Message, StringComparison.Ordinal);
    }
}
