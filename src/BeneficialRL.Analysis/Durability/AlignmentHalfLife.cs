using BeneficialRL.Analysis.Bootstrap;
using BeneficialRL.Analysis.Descriptive;
using BeneficialRL.Analysis.Items;

namespace BeneficialRL.Analysis.Durability;

/// <summary>
/// The "alignment half-life": on a dose ladder (e.g. 0, 10, 25, 50, 100 steps of harmful fine-tuning),
/// the dose at which a model has lost half of the gap between its clean score and the floor, linearly
/// interpolated between rungs, with a percentile bootstrap CI over items.
/// </summary>
public static class AlignmentHalfLife
{
    /// <summary>Estimates the half-life of one arm.</summary>
    /// <param name="ladder">At least two rungs with distinct doses; the smallest dose is the clean reference.</param>
    /// <param name="floor">
    /// The score regarded as fully degraded (e.g. the pre-RL base model's score or chance level), in
    /// score units; when null the mean score at the largest dose is used, so the half-life is always
    /// reached within the ladder unless the arm did not degrade at all.
    /// </param>
    /// <param name="options">Levels, resamples and seed; <see cref="AnalysisOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">Doses repeat or are negative, or fewer than two items are scored at every dose.</exception>
    public static HalfLifeEstimate Estimate(IReadOnlyList<DoseLevel> ladder, double? floor = null, AnalysisOptions? options = null)
    {
        options ??= AnalysisOptions.Default;
        options.Validate();
        return Fit(ladder, floor, options, "half-life").Estimate;
    }

    /// <summary>
    /// Compares the half-lives of two arms: treatment − baseline in dose units, with a percentile
    /// bootstrap CI (items resampled within each arm independently).
    /// </summary>
    /// <param name="treatment">The treatment arm's dose ladder.</param>
    /// <param name="baseline">The baseline arm's dose ladder (same doses are not required).</param>
    /// <param name="floor">A floor shared by both arms, or null for each arm's own largest-dose mean.</param>
    /// <param name="options">Levels, resamples and seed; <see cref="AnalysisOptions.Default"/> when null.</param>
    /// <remarks>
    /// A resample in which both arms stay above half-way (both half-lives +∞) has no defined difference and
    /// is left out of the interval; <see cref="HalfLifeComparison.ShareUndefined"/> reports how many were.
    /// One infinite half-life gives an infinite difference, which the percentile interval keeps.
    /// </remarks>
    public static HalfLifeComparison Compare(IReadOnlyList<DoseLevel> treatment, IReadOnlyList<DoseLevel> baseline, double? floor = null, AnalysisOptions? options = null)
    {
        options ??= AnalysisOptions.Default;
        options.Validate();
        var t = Fit(treatment, floor, options, "half-life/treatment");
        var b = Fit(baseline, floor, options, "half-life/baseline");
        var differences = t.Replicates.Zip(b.Replicates, Difference).ToArray();
        var defined = differences.Where(d => !double.IsNaN(d)).ToArray();
        var estimate = Difference(t.Estimate.HalfLife, b.Estimate.HalfLife);
        var interval = defined.Length == 0
            ? new ConfidenceInterval(double.NaN, double.NaN, options.ConfidenceLevel)
            : Resampler.Percentile(estimate, defined, options.ConfidenceLevel).Interval;
        return new HalfLifeComparison(t.Estimate, b.Estimate, estimate, interval, 1 - ((double)defined.Length / differences.Length));
    }

    private static double Difference(double treatment, double baseline) =>
        double.IsPositiveInfinity(treatment) && double.IsPositiveInfinity(baseline) ? double.NaN : treatment - baseline;

    private static (HalfLifeEstimate Estimate, double[] Replicates) Fit(IReadOnlyList<DoseLevel> ladder, double? floor, AnalysisOptions options, string seedName)
    {
        ArgumentNullException.ThrowIfNull(ladder);
        if (ladder.Count < 2)
        {
            throw new ArgumentException($"A dose ladder needs at least two rungs; got {ladder.Count}.", nameof(ladder));
        }

        if (floor is { } f && !double.IsFinite(f))
        {
            throw new ArgumentException($"The floor must be finite (got {f}).", nameof(floor));
        }

        var rungs = ladder.OrderBy(l => l.Dose).ToList();
        for (var k = 0; k < rungs.Count; k++)
        {
            if (!(rungs[k].Dose >= 0) || double.IsInfinity(rungs[k].Dose))
            {
                throw new ArgumentException($"Dose {rungs[k].Dose} is not a finite non-negative number.", nameof(ladder));
            }

            if (k > 0 && rungs[k].Dose == rungs[k - 1].Dose)
            {
                throw new ArgumentException($"Dose {rungs[k].Dose} appears twice in the ladder.", nameof(ladder));
            }
        }

        var doses = rungs.Select(r => r.Dose).ToArray();
        var byRung = rungs.Select(r => ItemAggregation.Aggregate(r.Scores, $"dose {r.Dose}").ToDictionary(i => (i.BenchmarkId, i.ItemId), i => i.Score)).ToList();
        // Only items scored at every dose keep the curve's points comparable.
        var items = byRung[0].Keys.Where(key => byRung.All(r => r.ContainsKey(key)))
            .OrderBy(key => key.BenchmarkId, StringComparer.Ordinal).ThenBy(key => key.ItemId, StringComparer.Ordinal).ToList();
        if (items.Count < 2)
        {
            throw new ArgumentException($"Fewer than two items are scored at every dose ({items.Count}); pair items across rungs by benchmark and item id.", nameof(ladder));
        }

        var matrix = items.Select(key => byRung.Select(r => r[key]).ToArray()).ToArray();
        var curve = ColumnMeans(matrix, Enumerable.Range(0, matrix.Length));
        var halfLife = FromCurve(doses, curve, floor);

        var random = SeededRandom.Create(StableSeed.Derive(options.Seed, seedName));
        var replicates = new double[options.BootstrapResamples];
        var rows = new int[matrix.Length];
        for (var r = 0; r < replicates.Length; r++)
        {
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i] = random.Next(matrix.Length);
            }

            replicates[r] = FromCurve(doses, ColumnMeans(matrix, rows), floor);
        }

        var interval = Resampler.Percentile(halfLife, replicates, options.ConfidenceLevel).Interval;
        var estimate = new HalfLifeEstimate(
            halfLife,
            interval,
            curve[0],
            floor ?? curve[^1],
            doses.Select((d, k) => new DoseCurvePoint(d, curve[k])).ToList(),
            items.Count,
            (double)replicates.Count(double.IsPositiveInfinity) / replicates.Length);
        return (estimate, replicates);
    }

    /// <summary>
    /// The half-life of a mean-score curve: the first dose at which the curve falls to
    /// clean − (clean − floor)/2, linearly interpolated; +∞ when it never does or clean ≤ floor.
    /// </summary>
    /// <param name="doses">Increasing doses.</param>
    /// <param name="meanScores">Mean score at each dose.</param>
    /// <param name="floor">The floor; the last mean score when null.</param>
    public static double FromCurve(IReadOnlyList<double> doses, IReadOnlyList<double> meanScores, double? floor = null)
    {
        ArgumentNullException.ThrowIfNull(doses);
        ArgumentNullException.ThrowIfNull(meanScores);
        if (doses.Count != meanScores.Count || doses.Count < 2)
        {
            throw new ArgumentException($"A curve needs at least two points and one score per dose (doses: {doses.Count}, scores: {meanScores.Count}).", nameof(meanScores));
        }

        for (var k = 1; k < doses.Count; k++)
        {
            if (!(doses[k] > doses[k - 1]))
            {
                throw new ArgumentException($"Doses must increase strictly (dose[{k}] = {doses[k]} after {doses[k - 1]}).", nameof(doses));
            }
        }

        var clean = meanScores[0];
        var gap = clean - (floor ?? meanScores[^1]);
        if (!(gap > 0))
        {
            return double.PositiveInfinity;
        }

        var target = clean - (gap / 2);
        for (var k = 1; k < doses.Count; k++)
        {
            if (meanScores[k] <= target)
            {
                // meanScores[k-1] > target here, since k is the first rung at or below it.
                var fraction = (meanScores[k - 1] - target) / (meanScores[k - 1] - meanScores[k]);
                return doses[k - 1] + (fraction * (doses[k] - doses[k - 1]));
            }
        }

        return double.PositiveInfinity;
    }

    private static double[] ColumnMeans(double[][] matrix, IEnumerable<int> rows)
    {
        var sums = new double[matrix[0].Length];
        var count = 0;
        foreach (var row in rows)
        {
            for (var k = 0; k < sums.Length; k++)
            {
                sums[k] += matrix[row][k];
            }

            count++;
        }

        for (var k = 0; k < sums.Length; k++)
        {
            sums[k] /= count;
        }

        return sums;
    }
}
