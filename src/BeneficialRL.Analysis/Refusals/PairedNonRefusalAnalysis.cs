using BeneficialRL.Analysis.Bootstrap;
using BeneficialRL.Analysis.HypothesisTests;
using BeneficialRL.Analysis.Items;
using BeneficialRL.Analysis.MultipleComparisons;

namespace BeneficialRL.Analysis.Refusals;

/// <summary>
/// The paired non-refusal re-analysis: checks that a gain is not bought by refusing more. Items are
/// paired across arms by id; only items that <b>both</b> arms answered (did not refuse) are kept, and
/// the arms are re-tested with a paired t-test and a paired bootstrap CI.
/// </summary>
public static class PairedNonRefusalAnalysis
{
    /// <summary>Re-analyses every benchmark present in both arms, ordered by benchmark id.</summary>
    /// <param name="treatment">Treatment item scores with <see cref="ItemScore.Refused"/> set on every record.</param>
    /// <param name="baseline">Baseline item scores with <see cref="ItemScore.Refused"/> set on every record.</param>
    /// <param name="options">Levels, resamples and seed; <see cref="AnalysisOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">A paired item has no refusal label.</exception>
    public static IReadOnlyList<PairedNonRefusalComparison> Analyze(IEnumerable<ItemScore> treatment, IEnumerable<ItemScore> baseline, AnalysisOptions? options = null)
    {
        options ??= AnalysisOptions.Default;
        options.Validate();
        var treatmentItems = ItemAggregation.ByBenchmark(treatment, "treatment");
        var baselineItems = ItemAggregation.ByBenchmark(baseline, "baseline");
        var rows = new List<PairedNonRefusalComparison>();
        foreach (var benchmark in treatmentItems.Keys.Intersect(baselineItems.Keys).Order(StringComparer.Ordinal))
        {
            var baselineById = baselineItems[benchmark].ToDictionary(i => i.ItemId, StringComparer.Ordinal);
            var paired = treatmentItems[benchmark]
                .Where(t => baselineById.ContainsKey(t.ItemId))
                .Select(t => (Treatment: t, Baseline: baselineById[t.ItemId]))
                .ToList();
            foreach (var (t, b) in paired)
            {
                if (t.Refused is null || b.Refused is null)
                {
                    var arm = t.Refused is null ? "treatment" : "baseline";
                    throw new ArgumentException($"Item '{benchmark}/{t.ItemId}' has no refusal label in the {arm} arm; classify refusals before the paired re-analysis.");
                }
            }

            var kept = paired.Where(p => p.Treatment.Refused == false && p.Baseline.Refused == false).ToList();
            var unpaired = treatmentItems[benchmark].Count + baselineItems[benchmark].Count - (2 * paired.Count);
            BootstrapInterval? delta = null;
            TTestResult? test = null;
            if (kept.Count >= 2)
            {
                var t = kept.Select(p => p.Treatment.Score).ToArray();
                var b = kept.Select(p => p.Baseline.Score).ToArray();
                test = PairedTTest.Compare(t, b);
                delta = Resampler.PairedDifferenceOfMeans(t, b, options.BootstrapResamples, options.ConfidenceLevel, StableSeed.Derive(options.Seed, "nonrefusal/" + benchmark))
                    .Scale(options.PointsPerUnit);
            }

            rows.Add(new PairedNonRefusalComparison(
                benchmark,
                paired.Count,
                paired.Count(p => p.Treatment.Refused == true),
                paired.Count(p => p.Baseline.Refused == true),
                kept.Count,
                unpaired,
                delta,
                test,
                null,
                false,
                false));
        }

        var tested = rows.Select((row, index) => (row, index)).Where(x => x.row.Test is not null).ToList();
        var q = BenjaminiHochberg.QValues(tested.Select(x => x.row.Test!.PValue).ToArray());
        for (var k = 0; k < tested.Count; k++)
        {
            var (row, index) = tested[k];
            var significant = q[k] <= options.FalseDiscoveryRate;
            rows[index] = row with
            {
                QValue = q[k],
                SignificantImprovement = significant && row.Test!.MeanDifference > 0,
                SignificantRegression = significant && row.Test!.MeanDifference < 0,
            };
        }

        return rows;
    }
}
