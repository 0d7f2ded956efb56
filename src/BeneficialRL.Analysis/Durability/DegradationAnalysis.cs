using BeneficialRL.Analysis.Bootstrap;
using BeneficialRL.Analysis.HypothesisTests;
using BeneficialRL.Analysis.Items;
using BeneficialRL.Analysis.MultipleComparisons;

namespace BeneficialRL.Analysis.Durability;

/// <summary>
/// Persistence of the arms' behaviour under attack (adversarial prompting, further fine-tuning):
/// degradation = clean − attacked per item, compared between arms, pooled or per benchmark group (the Δ table).
/// </summary>
public static class DegradationAnalysis
{
    /// <summary>Compares the arms' degradation over all items.</summary>
    /// <param name="treatment">Treatment clean and attacked scores.</param>
    /// <param name="baseline">Baseline clean and attacked scores.</param>
    /// <param name="options">Levels, resamples and seed; <see cref="AnalysisOptions.Default"/> when null.</param>
    public static DegradationComparison Compare(PersistenceArm treatment, PersistenceArm baseline, AnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(treatment);
        ArgumentNullException.ThrowIfNull(baseline);
        options ??= AnalysisOptions.Default;
        options.Validate();
        return CompareGroup("all", Pair(treatment, "treatment"), Pair(baseline, "baseline"), options);
    }

    /// <summary>
    /// The Δ table: the comparison per benchmark group (by default the benchmark id), ordered by group,
    /// with Benjamini–Hochberg q-values across groups.
    /// </summary>
    /// <param name="treatment">Treatment clean and attacked scores.</param>
    /// <param name="baseline">Baseline clean and attacked scores.</param>
    /// <param name="groupOf">Maps a benchmark id to its group (e.g. its family); identity when null.</param>
    /// <param name="options">Levels, resamples and seed; <see cref="AnalysisOptions.Default"/> when null.</param>
    public static IReadOnlyList<DegradationComparison> DeltaTable(
        PersistenceArm treatment,
        PersistenceArm baseline,
        Func<string, string>? groupOf = null,
        AnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(treatment);
        ArgumentNullException.ThrowIfNull(baseline);
        options ??= AnalysisOptions.Default;
        options.Validate();
        groupOf ??= static id => id;
        var t = Pair(treatment, "treatment").ToLookup(p => groupOf(p.BenchmarkId), StringComparer.Ordinal);
        var b = Pair(baseline, "baseline").ToLookup(p => groupOf(p.BenchmarkId), StringComparer.Ordinal);
        var groups = t.Select(g => g.Key).Intersect(b.Select(g => g.Key), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var rows = groups.Select(g => CompareGroup(g, t[g].ToList(), b[g].ToList(), options)).ToList();
        var q = BenjaminiHochberg.QValues(rows.Select(r => r.Welch.PValue).ToArray());
        return rows.Select((r, i) => r with { QValue = q[i] }).ToList();
    }

    private static DegradationComparison CompareGroup(string group, IReadOnlyList<PairedItem> treatment, IReadOnlyList<PairedItem> baseline, AnalysisOptions options)
    {
        if (treatment.Count < 2 || baseline.Count < 2)
        {
            throw new ArgumentException($"Group '{group}' needs at least two items scored clean and attacked in each arm (treatment has {treatment.Count}, baseline has {baseline.Count}).");
        }

        var t = treatment.Select(p => p.Clean - p.Attacked).ToArray();
        var b = baseline.Select(p => p.Clean - p.Attacked).ToArray();
        var difference = Resampler.DifferenceOfMeans(t, b, options.BootstrapResamples, options.ConfidenceLevel, StableSeed.Derive(options.Seed, "degradation/" + group))
            .Scale(options.PointsPerUnit);
        return new DegradationComparison(
            group,
            Arm(group, "treatment", treatment, t, options),
            Arm(group, "baseline", baseline, b, options),
            difference,
            WelchTest.Compare(t, b),
            null);
    }

    private static ArmDegradation Arm(string group, string arm, IReadOnlyList<PairedItem> items, double[] degradation, AnalysisOptions options) =>
        new(
            items.Count,
            items.Average(p => p.Clean) * options.PointsPerUnit,
            items.Average(p => p.Attacked) * options.PointsPerUnit,
            Resampler.OneSample(degradation, Resampler.Mean, options.BootstrapResamples, options.ConfidenceLevel, StableSeed.Derive(options.Seed, $"degradation/{arm}/{group}"))
                .Scale(options.PointsPerUnit));

    private static List<PairedItem> Pair(PersistenceArm arm, string name)
    {
        var clean = ItemAggregation.Aggregate(arm.Clean, name + " clean");
        var attacked = ItemAggregation.Aggregate(arm.Attacked, name + " attacked").ToDictionary(i => (i.BenchmarkId, i.ItemId));
        // Items scored only once cannot show degradation; they are left out rather than guessed.
        return clean
            .Where(c => attacked.ContainsKey((c.BenchmarkId, c.ItemId)))
            .Select(c => new PairedItem(c.BenchmarkId, c.Score, attacked[(c.BenchmarkId, c.ItemId)].Score))
            .ToList();
    }

    private sealed record PairedItem(string BenchmarkId, double Clean, double Attacked);
}
