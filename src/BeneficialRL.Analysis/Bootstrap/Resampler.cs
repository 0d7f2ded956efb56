using BeneficialRL.Analysis.Descriptive;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace BeneficialRL.Analysis.Bootstrap;

/// <summary>
/// Seeded nonparametric bootstrap: resampling with replacement from a Mersenne Twister seeded explicitly,
/// so every interval is reproducible. Quantiles of the replicates use the R-7 (linear) definition.
/// </summary>
public static class Resampler
{
    /// <summary>The mean, as a <see cref="SampleStatistic"/>.</summary>
    public static SampleStatistic Mean { get; } = static sample =>
    {
        var sum = 0.0;
        foreach (var value in sample)
        {
            sum += value;
        }

        return sum / sample.Length;
    };

    /// <summary>Bootstrap interval of an arbitrary one-sample statistic.</summary>
    /// <param name="sample">The observed sample, at least two finite values.</param>
    /// <param name="statistic">The statistic to recompute on each resample.</param>
    /// <param name="resamples">Number of resamples (at least 100).</param>
    /// <param name="level">Coverage in (0, 1).</param>
    /// <param name="seed">Seed of the resampling generator.</param>
    /// <param name="method">Percentile or BCa.</param>
    public static BootstrapInterval OneSample(
        IReadOnlyList<double> sample,
        SampleStatistic statistic,
        int resamples,
        double level,
        int seed,
        BootstrapMethod method = BootstrapMethod.Percentile)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        var data = Validated(sample, nameof(sample));
        if (data.Length < 2)
        {
            throw new ArgumentException("A one-sample bootstrap needs at least two values.", nameof(sample));
        }

        ValidateSettings(resamples, level);
        var estimate = statistic(data);
        var random = SeededRandom.Create(seed);
        var buffer = new double[data.Length];
        var replicates = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < buffer.Length; i++)
            {
                buffer[i] = data[random.Next(data.Length)];
            }

            replicates[r] = statistic(buffer);
        }

        return method switch
        {
            BootstrapMethod.Percentile => Percentile(estimate, replicates, level),
            BootstrapMethod.BiasCorrectedAccelerated => BiasCorrectedAccelerated(estimate, replicates, level, Jackknife(data, statistic)),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown bootstrap method."),
        };
    }

    /// <summary>
    /// Percentile interval of mean(<paramref name="first"/>) − mean(<paramref name="second"/>) for two
    /// independent samples, each resampled within itself.
    /// </summary>
    /// <param name="first">First sample (e.g. treatment items), at least one value.</param>
    /// <param name="second">Second sample (e.g. baseline items), at least one value.</param>
    /// <param name="resamples">Number of resamples (at least 100).</param>
    /// <param name="level">Coverage in (0, 1).</param>
    /// <param name="seed">Seed of the resampling generator.</param>
    public static BootstrapInterval DifferenceOfMeans(IReadOnlyList<double> first, IReadOnlyList<double> second, int resamples, double level, int seed)
    {
        var a = Validated(first, nameof(first));
        var b = Validated(second, nameof(second));
        ValidateSettings(resamples, level);
        var random = SeededRandom.Create(seed);
        var replicates = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            replicates[r] = ResampledMean(a, random) - ResampledMean(b, random);
        }

        return Percentile(a.Average() - b.Average(), replicates, level);
    }

    /// <summary>
    /// Percentile interval of the mean paired difference, resampling pairs (so the pairing is kept).
    /// </summary>
    /// <param name="first">First value of each pair.</param>
    /// <param name="second">Second value of each pair, same order and length.</param>
    /// <param name="resamples">Number of resamples (at least 100).</param>
    /// <param name="level">Coverage in (0, 1).</param>
    /// <param name="seed">Seed of the resampling generator.</param>
    public static BootstrapInterval PairedDifferenceOfMeans(IReadOnlyList<double> first, IReadOnlyList<double> second, int resamples, double level, int seed)
    {
        var a = Validated(first, nameof(first));
        var b = Validated(second, nameof(second));
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Paired samples must have equal length (first has {a.Length}, second has {b.Length}).", nameof(second));
        }

        var differences = new double[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            differences[i] = a[i] - b[i];
        }

        ValidateSettings(resamples, level);
        var random = SeededRandom.Create(seed);
        var replicates = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            replicates[r] = ResampledMean(differences, random);
        }

        return Percentile(differences.Average(), replicates, level);
    }

    /// <summary>The percentile interval read off bootstrap replicates already computed by the caller.</summary>
    /// <param name="estimate">The statistic on the original data.</param>
    /// <param name="replicates">The bootstrap replicates; +∞ and −∞ are allowed (e.g. "beyond the dose ladder"), NaN is not.</param>
    /// <param name="level">Coverage in (0, 1).</param>
    public static BootstrapInterval Percentile(double estimate, IReadOnlyList<double> replicates, double level)
    {
        ArgumentNullException.ThrowIfNull(replicates);
        if (replicates.Count == 0 || replicates.Any(double.IsNaN))
        {
            throw new ArgumentException("Bootstrap replicates must be non-empty and contain no NaN.", nameof(replicates));
        }

        var sorted = replicates.ToArray();
        Array.Sort(sorted);
        var lower = Quantile(sorted, (1 - level) / 2);
        var upper = Quantile(sorted, 1 - ((1 - level) / 2));
        return new BootstrapInterval(estimate, new ConfidenceInterval(lower, upper, level), FiniteStandardDeviation(sorted), sorted.Length, BootstrapMethod.Percentile);
    }

    internal static double ResampledMean(double[] data, System.Random random)
    {
        var sum = 0.0;
        for (var i = 0; i < data.Length; i++)
        {
            sum += data[random.Next(data.Length)];
        }

        return sum / data.Length;
    }

    private static BootstrapInterval BiasCorrectedAccelerated(double estimate, double[] replicates, double level, double[] jackknife)
    {
        var sorted = (double[])replicates.Clone();
        Array.Sort(sorted);
        var below = sorted.Count(r => r < estimate) + (0.5 * sorted.Count(r => r == estimate));
        // Clamp the share away from 0 and 1: all replicates on one side would give an infinite bias correction.
        var share = Math.Clamp(below / sorted.Length, 0.5 / sorted.Length, 1 - (0.5 / sorted.Length));
        var z0 = Normal.InvCDF(0, 1, share);
        var jackknifeMean = jackknife.Average();
        double cubes = 0, squares = 0;
        foreach (var value in jackknife)
        {
            var d = jackknifeMean - value;
            squares += d * d;
            cubes += d * d * d;
        }

        var acceleration = squares > 0 ? cubes / (6 * Math.Pow(squares, 1.5)) : 0;
        double Adjusted(double tail)
        {
            var z = Normal.InvCDF(0, 1, tail);
            return Normal.CDF(0, 1, z0 + ((z0 + z) / (1 - (acceleration * (z0 + z)))));
        }

        var lower = Quantile(sorted, Adjusted((1 - level) / 2));
        var upper = Quantile(sorted, Adjusted(1 - ((1 - level) / 2)));
        return new BootstrapInterval(estimate, new ConfidenceInterval(lower, upper, level), FiniteStandardDeviation(sorted), sorted.Length, BootstrapMethod.BiasCorrectedAccelerated);
    }

    private static double[] Jackknife(double[] data, SampleStatistic statistic)
    {
        var leaveOneOut = new double[data.Length - 1];
        var values = new double[data.Length];
        for (var skip = 0; skip < data.Length; skip++)
        {
            var k = 0;
            for (var i = 0; i < data.Length; i++)
            {
                if (i != skip)
                {
                    leaveOneOut[k++] = data[i];
                }
            }

            values[skip] = statistic(leaveOneOut);
        }

        return values;
    }

    private static double Quantile(double[] sorted, double tau)
    {
        // R-7 on infinite values gives NaN through ∞ − ∞; read infinite order statistics directly.
        var position = tau * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        if (double.IsInfinity(sorted[low]) || double.IsInfinity(sorted[high]))
        {
            return position - low < 0.5 ? sorted[low] : sorted[high];
        }

        return SortedArrayStatistics.QuantileCustom(sorted, tau, QuantileDefinition.R7);
    }

    private static double FiniteStandardDeviation(double[] values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        return finite.Length > 1 ? finite.StandardDeviation() : 0;
    }

    private static double[] Validated(IReadOnlyList<double> sample, string name)
    {
        ArgumentNullException.ThrowIfNull(sample, name);
        if (sample.Count == 0)
        {
            throw new ArgumentException($"{name} is empty; the bootstrap needs at least one value.", name);
        }

        var data = sample.ToArray();
        for (var i = 0; i < data.Length; i++)
        {
            if (!double.IsFinite(data[i]))
            {
                throw new ArgumentException($"{name}[{i}] is not finite ({data[i]}).", name);
            }
        }

        return data;
    }

    private static void ValidateSettings(int resamples, double level)
    {
        if (resamples < 100)
        {
            throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "At least 100 resamples are needed for a percentile interval.");
        }

        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "The confidence level must lie strictly between 0 and 1.");
        }
    }
}
