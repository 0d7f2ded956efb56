using BeneficialRL.Analysis.Descriptive;
using MathNet.Numerics.Distributions;

namespace BeneficialRL.Analysis.Tests.Descriptive;

public sealed class SampleSummaryTests
{
    [Fact]
    public void Of_TextbookSample_MatchesHandArithmetic()
    {
        // 2,4,4,4,5,5,7,9: sum 40, mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32;
        // sample variance 32/7 = 4.571428..., SE = sqrt(4.571428/8) = 0.755928946.
        var summary = SampleSummary.Of([2, 4, 4, 4, 5, 5, 7, 9]);

        Assert.Equal(8, summary.Count);
        Assert.Equal(5.0, summary.Mean, 12);
        Assert.Equal(32.0 / 7, summary.Variance, 12);
        Assert.Equal(Math.Sqrt(32.0 / 7), summary.StandardDeviation, 12);
        Assert.Equal(0.755928946, summary.StandardError, 8);
    }

    [Fact]
    public void MeanInterval_MatchesStudentTQuantileFromMathNet()
    {
        var summary = SampleSummary.Of([2, 4, 4, 4, 5, 5, 7, 9]);

        var interval = summary.MeanInterval(0.95);

        var critical = StudentT.InvCDF(0, 1, 7, 0.975); // 2.364624...
        Assert.Equal(2.364624, critical, 5);
        Assert.Equal(5 - (critical * summary.StandardError), interval.Lower, 12);
        Assert.Equal(5 + (critical * summary.StandardError), interval.Upper, 12);
        Assert.Equal(0.95, interval.Level);
    }

    [Fact]
    public void Of_SingleValue_HasZeroSpread()
    {
        var summary = SampleSummary.Of([0.7]);

        Assert.Equal((1, 0.7, 0.0, 0.0), (summary.Count, summary.Mean, summary.Variance, summary.StandardError));
        Assert.Throws<InvalidOperationException>(() => summary.MeanInterval(0.95));
    }

    [Fact]
    public void Of_EmptyOrNonFinite_Throws()
    {
        Assert.Throws<ArgumentException>(() => SampleSummary.Of([]));
        var error = Assert.Throws<ArgumentException>(() => SampleSummary.Of([1, double.PositiveInfinity]));
        Assert.Contains("values[1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfidenceInterval_Scale_MultipliesBounds()
    {
        var scaled = new ConfidenceInterval(0.01, 0.03, 0.9).Scale(100);

        Assert.Equal(1, scaled.Lower, 12);
        Assert.Equal(3, scaled.Upper, 12);
        Assert.True(scaled.Contains(2));
        Assert.False(scaled.Contains(3.5));
    }
}
