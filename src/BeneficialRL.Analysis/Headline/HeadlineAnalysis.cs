using BeneficialRL.Analysis.Bootstrap;
using BeneficialRL.Analysis.Descriptive;
using BeneficialRL.Analysis.HypothesisTests;
using BeneficialRL.Analysis.Items;
using BeneficialRL.Analysis.MultipleComparisons;

namespace BeneficialRL.Analysis.Headline;

/// <summary>
/// Per-benchmark comparison of the treatment arm against the baseline arm and the headline counts.
/// </summary>
/// <remarks>
/// Items are the unit of analysis: replicates (training seeds) of an item are averaged first
/// (see <see cref="ItemAggregation"/>), then each benchmark gets Welch's test on the two arms' item
/// scores, a seeded percentile bootstrap CI of the difference, and a Benjamini–Hochberg q-value across
/// benchmarks. Arms need not contain the same items (the test is unpaired).
/// </remarks>
public static class HeadlineAnalysis
{
    /// <summary>Compares the arms on every benchmark present in both.</summary>
    /// <param name="treatment">Item scores of the treatment arm (polarity applied: higher is better).</param>
    /// <param name="baseline">Item scores of the baseline arm.</param>
    /// <param name="options">Levels, resamples and seed; <see cref="AnalysisOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">A benchmark is present in only one arm or has fewer than two items in an arm.</exception>
    public static HeadlineReport Analyze(IEnumerable<ItemScore> treatment, IEnumerable<ItemScore> baseline, AnalysisOptions? options = null)
    {
        options ??= AnalysisOptions.Default;
        options.Validate();
        var treatmentItems = ItemAggregation.ByBenchmark(treatment, "treatment");
        var baselineItems = ItemAggregation.ByBenchmark(baseline, "baseline");
        var missing = treatmentItems.Keys.Except(baselineItems.Keys).Concat(baselineItems.Keys.Except(treatmentItems.Keys)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"Benchmarks present in only one arm: {string.Join(", ", missing.Order(StringComparer.Ordinal))}.", nameof(baseline));
        }

        if (treatmentItems.Count == 0)
        {
            throw new ArgumentException("No benchmark items were given.", nameof(treatment));
        }

        var groups = treatmentItems.Keys.Order(StringComparer.Ordinal)
            .Select(id => new ArmGroup(id, Scores(treatmentItems[id]), Scores(baselineItems[id])))
            .ToList();
        var comparisons = Compare(groups, options);
        return Summarize(comparisons, options);
    }

    /// <summary>
    /// Welch test, bootstrap CI in points and BH q-values for already-grouped samples; shared by the
    /// headline, held-out trait and transfer analyses.
    /// </summary>
    internal static IReadOnlyList<BenchmarkComparison> Compare(IReadOnlyList<ArmGroup> groups, AnalysisOptions options)
    {
        // Validated before the parallel part so the caller gets the ArgumentException itself, not an AggregateException.
        foreach (var group in groups)
        {
            if (group.Treatment.Length < 2 || group.Baseline.Length < 2)
            {
                throw new ArgumentException($"'{group.Name}' needs at least two items per arm (treatment has {group.Treatment.Length}, baseline has {group.Baseline.Length}).");
            }
        }

        // Each group resamples from its own name-derived seed, so running groups in parallel keeps results identical.
        var partial = groups.AsParallel().AsOrdered().Select(group =>
        {
            var welch = WelchTest.Compare(group.Treatment, group.Baseline);
            var delta = Resampler.DifferenceOfMeans(group.Treatment, group.Baseline, options.BootstrapResamples, options.ConfidenceLevel, StableSeed.Derive(options.Seed, group.Name))
                .Scale(options.PointsPerUnit);
            return (group, welch, delta);
        }).ToList();

        var q = BenjaminiHochberg.QValues(partial.Select(p => p.welch.PValue).ToArray());
        return partial.Select((p, i) => new BenchmarkComparison(
            p.group.Name,
            SampleSummary.Of(p.group.Treatment),
            SampleSummary.Of(p.group.Baseline),
            p.delta,
            p.welch,
            q[i],
            q[i] <= options.FalseDiscoveryRate && p.welch.MeanDifference > 0,
            q[i] <= options.FalseDiscoveryRate && p.welch.MeanDifference < 0)).ToList();
    }

    private static HeadlineReport Summarize(IReadOnlyList<BenchmarkComparison> comparisons, AnalysisOptions options)
    {
        var improved = comparisons.Count(c => c.Welch.MeanDifference > 0);
        return new HeadlineReport(
            comparisons,
            improved,
            (double)improved / comparisons.Count,
            comparisons.Count(c => c.SignificantImprovement),
            comparisons.Count(c => c.SignificantRegression),
            comparisons.Average(c => c.DeltaPoints.Estimate),
            comparisons.Where(c => c.SignificantRegression).OrderBy(c => c.DeltaPoints.Estimate).Select(c => c.BenchmarkId).ToList(),
            options.FalseDiscoveryRate);
    }

    private static double[] Scores(IReadOnlyList<AggregatedItem> items) => items.Select(i => i.Score).ToArray();
}
