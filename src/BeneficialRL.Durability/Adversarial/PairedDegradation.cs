using BeneficialRL.Analysis;
using BeneficialRL.Analysis.Bootstrap;
using BeneficialRL.Analysis.Items;
using BeneficialRL.Analysis.Durability;

namespace BeneficialRL.Durability.Adversarial;

/// <summary>
/// One subject's degradation (clean − attacked per item) with a percentile bootstrap CI over items, computed the
/// way <see cref="DegradationAnalysis"/> computes each arm's, for a subject on its own.
/// </summary>
public static class PairedDegradation
{
    /// <summary>Pairs <paramref name="arm"/>'s items by (benchmark, item) and summarises clean − attacked.</summary>
    /// <param name="arm">Clean and attacked scores.</param>
    /// <param name="name">Names the comparison (seeds its bootstrap and error messages).</param>
    /// <param name="options">Levels, resamples, seed, points per unit.</param>
    /// <exception cref="ArgumentException">Fewer than two items are scored both clean and attacked.</exception>
    public static ArmDegradation Of(PersistenceArm arm, string name, AnalysisOptions options)
    {
        ArgumentNullException.ThrowIfNull(arm);
        ArgumentNullException.ThrowIfNull(options);
        var clean = ItemAggregation.Aggregate(arm.Clean, name + " clean");
        var attacked = ItemAggregation.Aggregate(arm.Attacked, name + " attacked").ToDictionary(i => (i.BenchmarkId, i.ItemId), i => i.Score);
        var pairs = clean.Where(c => attacked.ContainsKey((c.BenchmarkId, c.ItemId))).Select(c => (Clean: c.Score, Attacked: attacked[(c.BenchmarkId, c.ItemId)])).ToList();
        if (pairs.Count < 2)
        {
            throw new ArgumentException($"'{name}' needs at least two items scored both clean and attacked; got {pairs.Count}.", nameof(arm));
        }

        var interval = Resampler.OneSample([.. pairs.Select(p => p.Clean - p.Attacked)], Resampler.Mean, options.BootstrapResamples, options.ConfidenceLevel, StableSeed.Derive(options.Seed, "degradation/" + name));
        return new ArmDegradation(
            pairs.Count,
            pairs.Average(p => p.Clean) * options.PointsPerUnit,
            pairs.Average(p => p.Attacked) * options.PointsPerUnit,
            interval.Scale(options.PointsPerUnit));
    }
}
