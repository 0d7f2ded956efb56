using BeneficialRL.Analysis.Bootstrap;
using BeneficialRL.Analysis.Headline;
using BeneficialRL.Analysis.Items;

namespace BeneficialRL.Analysis.HeldOut;

/// <summary>
/// Scores on the held-out trait suite (traits never trained on), per trait and per arm.
/// </summary>
/// <remarks>
/// The suite is given as <see cref="ItemScore"/> records whose <see cref="ItemScore.BenchmarkId"/> is the
/// trait: one held-out benchmark per trait. q-values are taken across the traits of the suite only.
/// </remarks>
public static class HeldOutTraitAnalysis
{
    /// <summary>Per-trait scores and deltas, ordered by trait (ordinal).</summary>
    /// <param name="treatment">Held-out item scores of the treatment arm, <see cref="ItemScore.BenchmarkId"/> = trait.</param>
    /// <param name="baseline">Held-out item scores of the baseline arm.</param>
    /// <param name="options">Levels, resamples and seed; <see cref="AnalysisOptions.Default"/> when null.</param>
    public static IReadOnlyList<TraitComparison> Analyze(IEnumerable<ItemScore> treatment, IEnumerable<ItemScore> baseline, AnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(treatment);
        ArgumentNullException.ThrowIfNull(baseline);
        options ??= AnalysisOptions.Default;
        // Materialised once: the records are read by the comparison and again for each arm's score.
        var treatmentScores = treatment.ToList();
        var baselineScores = baseline.ToList();
        var headline = HeadlineAnalysis.Analyze(treatmentScores, baselineScores, options);
        var treatmentByTrait = ItemAggregation.ByBenchmark(treatmentScores, "treatment");
        var baselineByTrait = ItemAggregation.ByBenchmark(baselineScores, "baseline");
        return headline.Benchmarks.Select(c => new TraitComparison(
            c.BenchmarkId,
            ArmScore(c.BenchmarkId, "treatment", treatmentByTrait[c.BenchmarkId], options),
            ArmScore(c.BenchmarkId, "baseline", baselineByTrait[c.BenchmarkId], options),
            c)).ToList();
    }

    private static BootstrapInterval ArmScore(string trait, string arm, IReadOnlyList<AggregatedItem> items, AnalysisOptions options) =>
        Resampler.OneSample(items.Select(i => i.Score).ToArray(), Resampler.Mean, options.BootstrapResamples, options.ConfidenceLevel, StableSeed.Derive(options.Seed, $"{arm}/{trait}"))
            .Scale(options.PointsPerUnit);
}
