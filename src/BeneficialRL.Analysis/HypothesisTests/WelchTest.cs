using BeneficialRL.Analysis.Descriptive;

namespace BeneficialRL.Analysis.HypothesisTests;

/// <summary>
/// Welch's unequal-variance two-sample t-test: t = (m₁ − m₂) / √(s₁²/n₁ + s₂²/n₂) with
/// Welch–Satterthwaite degrees of freedom (s₁²/n₁ + s₂²/n₂)² / ((s₁²/n₁)²/(n₁−1) + (s₂²/n₂)²/(n₂−1)).
/// </summary>
public static class WelchTest
{
    /// <summary>Tests whether the means of <paramref name="first"/> and <paramref name="second"/> differ (two-sided).</summary>
    /// <param name="first">The first sample (e.g. treatment), at least two values.</param>
    /// <param name="second">The second sample (e.g. baseline), at least two values.</param>
    /// <exception cref="ArgumentException">A sample has fewer than two values or a non-finite value.</exception>
    public static TTestResult Compare(IReadOnlyList<double> first, IReadOnlyList<double> second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Count < 2)
        {
            throw new ArgumentException($"Welch's test needs at least two values per sample; the first sample has {first.Count}.", nameof(first));
        }

        if (second.Count < 2)
        {
            throw new ArgumentException($"Welch's test needs at least two values per sample; the second sample has {second.Count}.", nameof(second));
        }

        return Compare(SampleSummary.Of(first), SampleSummary.Of(second));
    }

    /// <summary>Welch's test from two summaries (each with at least two observations).</summary>
    /// <param name="first">Summary of the first sample.</param>
    /// <param name="second">Summary of the second sample.</param>
    public static TTestResult Compare(SampleSummary first, SampleSummary second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Count < 2 || second.Count < 2)
        {
            throw new ArgumentException($"Welch's test needs at least two values per sample (got {first.Count} and {second.Count}).");
        }

        var a = first.Variance / first.Count;
        var b = second.Variance / second.Count;
        var standardError = Math.Sqrt(a + b);
        var denominator = (a * a / (first.Count - 1)) + (b * b / (second.Count - 1));
        // With both variances zero the Satterthwaite ratio is 0/0; the pooled df is the natural limit.
        var df = denominator > 0 ? (a + b) * (a + b) / denominator : first.Count + second.Count - 2;
        return StudentTDistribution.Result(first.Mean - second.Mean, standardError, df);
    }
}
