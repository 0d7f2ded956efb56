using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace BeneficialRL.Analysis.Descriptive;

/// <summary>Count, mean, sample variance and standard error of the mean of one sample.</summary>
/// <param name="Count">Number of observations.</param>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="Variance">Unbiased sample variance (denominator n − 1); 0 for a single observation.</param>
/// <param name="StandardDeviation">Square root of <paramref name="Variance"/>.</param>
/// <param name="StandardError">Standard error of the mean, s / √n; 0 for a single observation.</param>
public sealed record SampleSummary(int Count, double Mean, double Variance, double StandardDeviation, double StandardError)
{
    /// <summary>Summarises <paramref name="values"/>.</summary>
    /// <param name="values">At least one finite value.</param>
    /// <exception cref="ArgumentException">The sample is empty or contains a non-finite value.</exception>
    public static SampleSummary Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("The sample is empty; a summary needs at least one value.", nameof(values));
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"values[{i}] is not finite ({values[i]}).", nameof(values));
            }
        }

        var (mean, variance) = values.Count == 1 ? (values[0], 0.0) : values.MeanVariance();
        var sd = Math.Sqrt(variance);
        return new SampleSummary(values.Count, mean, variance, sd, sd / Math.Sqrt(values.Count));
    }

    /// <summary>
    /// The Student-t interval for the mean, mean ± t(1 − (1 − level)/2, n − 1) · SE.
    /// </summary>
    /// <param name="level">Coverage in (0, 1), e.g. 0.95.</param>
    /// <exception cref="InvalidOperationException">The sample has fewer than two values.</exception>
    public ConfidenceInterval MeanInterval(double level)
    {
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "The confidence level must lie strictly between 0 and 1.");
        }

        if (Count < 2)
        {
            throw new InvalidOperationException($"A t interval needs at least two values; the sample has {Count}.");
        }

        var critical = StudentT.InvCDF(0, 1, Count - 1, 1 - ((1 - level) / 2));
        return new ConfidenceInterval(Mean - (critical * StandardError), Mean + (critical * StandardError), level);
    }
}
