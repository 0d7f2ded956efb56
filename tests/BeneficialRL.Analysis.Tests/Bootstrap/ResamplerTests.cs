using BeneficialRL.Analysis.Bootstrap;
using BeneficialRL.Analysis.Descriptive;
using MathNet.Numerics.Distributions;

namespace BeneficialRL.Analysis.Tests.Bootstrap;

public sealed class ResamplerTests
{
    [Fact]
    public void OneSample_SameSeed_GivesIdenticalInterval()
    {
        var sample = Sample(1, 40);

        var first = Resampler.OneSample(sample, Resampler.Mean, 1000, 0.95, seed: 42);
        var second = Resampler.OneSample(sample, Resampler.Mean, 1000, 0.95, seed: 42);
        var other = Resampler.OneSample(sample, Resampler.Mean, 1000, 0.95, seed: 43);

        Assert.Equal(first, second);
        Assert.NotEqual(first.Interval, other.Interval);
    }

    [Fact]
    public void OneSample_MeanOfLargeSample_AgreesWithStudentTInterval()
    {
        // For n = 400 the bootstrap distribution of the mean is close to normal with sd = s/sqrt(n),
        // so the percentile bounds should sit within a few hundredths of an SE-scale of the t bounds.
        var sample = Sample(2, 400);
        var summary = SampleSummary.Of(sample);
        var t = summary.MeanInterval(0.95);

        var bootstrap = Resampler.OneSample(sample, Resampler.Mean, 4000, 0.95, seed: 1);

        Assert.Equal(summary.Mean, bootstrap.Estimate, 12);
        Assert.InRange(bootstrap.Interval.Lower, t.Lower - (0.15 * summary.StandardError), t.Lower + (0.15 * summary.StandardError));
        Assert.InRange(bootstrap.Interval.Upper, t.Upper - (0.15 * summary.StandardError), t.Upper + (0.15 * summary.StandardError));
        Assert.InRange(bootstrap.StandardError, 0.9 * summary.StandardError, 1.1 * summary.StandardError);
    }

    [Fact]
    public void DifferenceOfMeans_Coverage_IsNearNominalOverRepeatedExperiments()
    {
        // 300 simulated experiments with a true difference of 0.1; a 90% interval should cover it about 90% of the time.
        var random = new Random(3);
        var covered = 0;
        const int experiments = 300;
        for (var e = 0; e < experiments; e++)
        {
            var a = Enumerable.Range(0, 50).Select(_ => Normal.Sample(random, 0.6, 0.2)).ToArray();
            var b = Enumerable.Range(0, 50).Select(_ => Normal.Sample(random, 0.5, 0.3)).ToArray();
            var interval = Resampler.DifferenceOfMeans(a, b, 500, 0.90, seed: e);
            if (interval.Interval.Contains(0.1))
            {
                covered++;
            }
        }

        Assert.InRange((double)covered / experiments, 0.84, 0.95);
    }

    [Fact]
    public void PairedDifferenceOfMeans_IsNarrowerThanUnpairedForCorrelatedPairs()
    {
        var random = new Random(4);
        var difficulty = Enumerable.Range(0, 60).Select(_ => random.NextDouble()).ToArray();
        var a = difficulty.Select(d => d + 0.05 + Normal.Sample(random, 0, 0.02)).ToArray();
        var b = difficulty.Select(d => d + Normal.Sample(random, 0, 0.02)).ToArray();

        var paired = Resampler.PairedDifferenceOfMeans(a, b, 1000, 0.95, 1);
        var unpaired = Resampler.DifferenceOfMeans(a, b, 1000, 0.95, 1);

        Assert.Equal(a.Average() - b.Average(), paired.Estimate, 12);
        Assert.True(paired.Interval.Lower > 0);
        Assert.True(paired.Interval.Upper - paired.Interval.Lower < (unpaired.Interval.Upper - unpaired.Interval.Lower) / 3);
    }

    [Fact]
    public void OneSample_BiasCorrectedAccelerated_OnSkewedStatisticShiftsRight()
    {
        // The variance of an exponential sample is right-skewed; BCa moves both bounds up relative to the
        // percentile interval (Efron & Tibshirani 1993, ch. 14), and on symmetric data the two nearly agree.
        var random = new Random(6);
        var skewed = Enumerable.Range(0, 60).Select(_ => Exponential.Sample(random, 1.0)).ToArray();
        SampleStatistic variance = s =>
        {
            var mean = 0.0;
            foreach (var v in s)
            {
                mean += v;
            }

            mean /= s.Length;
            var sum = 0.0;
            foreach (var v in s)
            {
                sum += (v - mean) * (v - mean);
            }

            return sum / (s.Length - 1);
        };

        var percentile = Resampler.OneSample(skewed, variance, 2000, 0.95, 7);
        var bca = Resampler.OneSample(skewed, variance, 2000, 0.95, 7, BootstrapMethod.BiasCorrectedAccelerated);

        Assert.Equal(BootstrapMethod.BiasCorrectedAccelerated, bca.Method);
        Assert.True(bca.Interval.Upper > percentile.Interval.Upper);
        Assert.True(bca.Interval.Lower > percentile.Interval.Lower);

        var symmetric = Sample(8, 200);
        var p = Resampler.OneSample(symmetric, Resampler.Mean, 2000, 0.95, 9);
        var b = Resampler.OneSample(symmetric, Resampler.Mean, 2000, 0.95, 9, BootstrapMethod.BiasCorrectedAccelerated);
        Assert.InRange(b.Interval.Lower - p.Interval.Lower, -0.25 * p.StandardError, 0.25 * p.StandardError);
        Assert.InRange(b.Interval.Upper - p.Interval.Upper, -0.25 * p.StandardError, 0.25 * p.StandardError);
    }

    [Fact]
    public void Percentile_HandReplicates_UsesLinearQuantiles()
    {
        // 0..100: R-7 quantile at tau = 0.025 is 2.5 and at 0.975 is 97.5.
        var replicates = Enumerable.Range(0, 101).Select(i => (double)i).Reverse().ToArray();

        var interval = Resampler.Percentile(50, replicates, 0.95);

        Assert.Equal(2.5, interval.Interval.Lower, 12);
        Assert.Equal(97.5, interval.Interval.Upper, 12);
    }

    [Fact]
    public void Percentile_InfiniteReplicates_GiveInfiniteUpperBound()
    {
        var replicates = Enumerable.Range(0, 90).Select(i => (double)i).Concat(Enumerable.Repeat(double.PositiveInfinity, 10)).ToArray();

        var interval = Resampler.Percentile(40, replicates, 0.95);

        Assert.Equal(double.PositiveInfinity, interval.Interval.Upper);
        Assert.True(double.IsFinite(interval.Interval.Lower));
    }

    [Fact]
    public void OneSample_InvalidSettings_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Resampler.OneSample([1, 2, 3], Resampler.Mean, 10, 0.95, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Resampler.OneSample([1, 2, 3], Resampler.Mean, 1000, 1.0, 1));
        Assert.Throws<ArgumentException>(() => Resampler.OneSample([1], Resampler.Mean, 1000, 0.95, 1));
        Assert.Throws<ArgumentException>(() => Resampler.DifferenceOfMeans([1, double.NaN], [1, 2], 1000, 0.95, 1));
    }

    private static double[] Sample(int seed, int count)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Normal.Sample(random, 0.5, 0.2)).ToArray();
    }
}
