using BeneficialRL.Analysis.HypothesisTests;
using MathNet.Numerics.Distributions;

namespace BeneficialRL.Analysis.Tests.HypothesisTests;

public sealed class PairedTTestTests
{
    [Fact]
    public void Compare_ThreePairs_MatchesClosedFormTwoDegreesOfFreedom()
    {
        // Differences {1,2,3}: mean 2, sd 1, SE 1/sqrt 3, t = 2 sqrt 3 = 3.4641016, df 2;
        // p = 1 - t/sqrt(2 + t²) = 1 - 3.4641016/3.7416574 = 0.0741799.
        var result = PairedTTest.Compare([3, 5, 7], [2, 3, 4]);

        Assert.Equal(2.0, result.MeanDifference, 12);
        Assert.Equal(3.4641016, result.T, 6);
        Assert.Equal(2.0, result.DegreesOfFreedom);
        Assert.Equal(0.0741799, result.PValue, 6);
    }

    [Fact]
    public void Compare_TwoPairs_MatchesCauchyTail()
    {
        // Differences {1,3}: mean 2, sd sqrt 2, SE 1, t = 2, df 1 (Cauchy): p = 1 - 2 atan(2)/pi = 0.2951672.
        var result = PairedTTest.Compare([1, 3], [0, 0]);

        Assert.Equal(2.0, result.T, 12);
        Assert.Equal(1 - (2 * Math.Atan(2) / Math.PI), result.PValue, 10);
    }

    [Fact]
    public void Compare_RandomPairs_MatchesMathNetReference()
    {
        var random = new Random(11);
        var a = Enumerable.Range(0, 30).Select(_ => Normal.Sample(random, 0, 1)).ToArray();
        var b = a.Select(x => x - 0.3 + Normal.Sample(random, 0, 0.5)).ToArray();
        var d = a.Zip(b, (x, y) => x - y).ToArray();
        var mean = d.Average();
        var sd = Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (d.Length - 1));
        var t = mean / (sd / Math.Sqrt(d.Length));

        var result = PairedTTest.Compare(a, b);

        Assert.Equal(t, result.T, 10);
        Assert.Equal(2 * StudentT.CDF(0, 1, 29, -Math.Abs(t)), result.PValue, 10);
    }

    [Fact]
    public void Compare_UnequalLengths_Throws()
    {
        Assert.Throws<ArgumentException>(() => PairedTTest.Compare([1, 2, 3], [1, 2]));
    }
}
