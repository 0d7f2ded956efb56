using BeneficialRL.Analysis.Descriptive;

namespace BeneficialRL.Analysis.HypothesisTests;

/// <summary>
/// The paired t-test: a one-sample t-test of the differences dᵢ = firstᵢ − secondᵢ against 0,
/// t = mean(d) / (sd(d)/√n) with n − 1 degrees of freedom.
/// </summary>
public static class PairedTTest
{
    /// <summary>Tests whether paired observations differ on average (two-sided).</summary>
    /// <param name="first">First value of each pair (e.g. treatment).</param>
    /// <param name="second">Second value of each pair, same order and length.</param>
    /// <exception cref="ArgumentException">The lengths differ or fewer than two pairs are given.</exception>
    public static TTestResult Compare(IReadOnlyList<double> first, IReadOnlyList<double> second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Count != second.Count)
        {
            throw new ArgumentException($"A paired test needs samples of equal length (first has {first.Count}, second has {second.Count}).", nameof(second));
        }

        if (first.Count < 2)
        {
            throw new ArgumentException($"A paired test needs at least two pairs; got {first.Count}.", nameof(first));
        }

        var differences = new double[first.Count];
        for (var i = 0; i < differences.Length; i++)
        {
            differences[i] = first[i] - second[i];
        }

        return OfDifferences(differences);
    }

    /// <summary>Tests whether the mean of already-computed paired differences is 0 (two-sided).</summary>
    /// <param name="differences">At least two differences.</param>
    public static TTestResult OfDifferences(IReadOnlyList<double> differences)
    {
        ArgumentNullException.ThrowIfNull(differences);
        if (differences.Count < 2)
        {
            throw new ArgumentException($"A paired test needs at least two pairs; got {differences.Count}.", nameof(differences));
        }

        var summary = SampleSummary.Of(differences);
        return StudentTDistribution.Result(summary.Mean, summary.StandardError, summary.Count - 1);
    }
}
