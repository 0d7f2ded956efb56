namespace BeneficialRL.Analysis.MultipleComparisons;

/// <summary>
/// The Benjamini–Hochberg (1995) step-up procedure controlling the false-discovery rate across m tests.
/// </summary>
public static class BenjaminiHochberg
{
    /// <summary>
    /// Adjusted p-values ("q-values"): with p₍₁₎ ≤ … ≤ p₍ₘ₎, q₍ᵢ₎ = min over j ≥ i of min(1, m·p₍ⱼ₎/j),
    /// returned in the input order. They are monotone in p, and q ≤ α exactly for the hypotheses the
    /// step-up procedure rejects at level α.
    /// </summary>
    /// <param name="pValues">p-values in [0, 1].</param>
    /// <exception cref="ArgumentException">A p-value is outside [0, 1] or NaN.</exception>
    public static double[] QValues(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var m = pValues.Count;
        for (var i = 0; i < m; i++)
        {
            if (!(pValues[i] >= 0 && pValues[i] <= 1))
            {
                throw new ArgumentException($"pValues[{i}] = {pValues[i]} is not a probability in [0, 1].", nameof(pValues));
            }
        }

        // Stable order so ties keep their input order; the running minimum from the largest p down makes q monotone.
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ThenBy(i => i).ToArray();
        var q = new double[m];
        var runningMinimum = 1.0;
        for (var rank = m; rank >= 1; rank--)
        {
            var index = order[rank - 1];
            runningMinimum = Math.Min(runningMinimum, pValues[index] * m / rank);
            q[index] = runningMinimum;
        }

        return q;
    }

    /// <summary>
    /// Which hypotheses the step-up procedure rejects at false-discovery rate <paramref name="alpha"/>:
    /// the k smallest p-values, k being the largest rank with p₍ₖ₎ ≤ k·α/m.
    /// </summary>
    /// <param name="pValues">p-values in [0, 1].</param>
    /// <param name="alpha">The false-discovery rate, in (0, 1).</param>
    public static bool[] Reject(IReadOnlyList<double> pValues, double alpha)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must lie strictly between 0 and 1.");
        }

        var m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ThenBy(i => i).ToArray();
        var largestRank = 0;
        for (var rank = 1; rank <= m; rank++)
        {
            var p = pValues[order[rank - 1]];
            if (!(p >= 0 && p <= 1))
            {
                throw new ArgumentException($"pValues[{order[rank - 1]}] = {p} is not a probability in [0, 1].", nameof(pValues));
            }

            if (p <= rank * alpha / m)
            {
                largestRank = rank;
            }
        }

        var rejected = new bool[m];
        for (var rank = 1; rank <= largestRank; rank++)
        {
            rejected[order[rank - 1]] = true;
        }

        return rejected;
    }
}
