using BeneficialRL.Analysis.Descriptive;
using BeneficialRL.Analysis.HypothesisTests;
using BeneficialRL.Analysis.SeedLevel;

namespace BeneficialRL.Analysis.DoseResponse;

/// <summary>
/// The effect at one dose read from arms trained at several doses (shares of trait data), with the training run as the
/// unit. Each arm's paired gain over the baseline (per seed pair, <see cref="SeedLevelEstimate.PerSeedPair"/>) is the
/// response at its share; the baseline is share 0 with gain 0 by construction, so the fit is a line through the origin.
/// </summary>
/// <remarks>
/// Per seed s present in every arm, the least-squares slope through the origin is βₛ = Σₐ xₐ·dₐ,ₛ / Σₐ xₐ² (xₐ the
/// arm's share, dₐ,ₛ its gain in points). Across seeds: β̄ with a t interval on S − 1 df, and the effect at share x* is
/// x*·β̄ with the interval scaled by x*. Fitting per seed and then testing across seeds keeps run-to-run variance in the
/// error; with one seed the slope is reported conditional on these runs, with no interval. A line is an assumption: with
/// two doses, the per-arm gains are reported beside it so a bend shows.
/// </remarks>
public static class DoseResponseAnalysis
{
    /// <summary>Fits the line through the baseline and reads the effect at <paramref name="atShare"/>.</summary>
    /// <param name="endpoint">What the gains measure (e.g. <c>mean OOD gain</c>).</param>
    /// <param name="arms">Each treatment arm: its name, its share (&gt; 0) and its seed-level gain over the baseline.</param>
    /// <param name="atShare">The share to read the effect at (e.g. 0.05).</param>
    /// <param name="level">Interval coverage.</param>
    /// <exception cref="ArgumentException">Fewer than two arms, a share not above 0, or no seed every arm ran.</exception>
    public static DoseResponseEstimate Fit(string endpoint, IReadOnlyList<(string Arm, double Share, SeedLevelEstimate Gain)> arms, double atShare, double level = 0.95)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        ArgumentNullException.ThrowIfNull(arms);
        if (arms.Count < 2) throw new ArgumentException("A dose–response needs at least two treatment arms at different shares.", nameof(arms));
        if (arms.Any(a => !(a.Share > 0))) throw new ArgumentException("Every treatment arm's share must be above 0 (the baseline is share 0).", nameof(arms));
        if (arms.Select(a => a.Share).Distinct().Count() < 2) throw new ArgumentException("The arms must differ in share.", nameof(arms));
        var seeds = arms.Select(a => a.Gain.PerSeedPair.Select(p => p.Replicate).ToHashSet()).Aggregate((x, y) => { x.IntersectWith(y); return x; }).Order().ToList();
        if (seeds.Count == 0) throw new ArgumentException("No seed was run by every arm.", nameof(arms));

        var denominator = arms.Sum(a => a.Share * a.Share);
        var slopes = seeds.Select(s => arms.Sum(a => a.Share * a.Gain.PerSeedPair.First(p => p.Replicate == s).MeanDifferencePoints) / denominator).ToList();
        var slope = slopes.Average();
        TTestResult? test = null;
        ConfidenceInterval? interval = null, effectInterval = null;
        if (seeds.Count >= 2)
        {
            test = PairedTTest.OfDifferences(slopes);
            interval = SeedLevelAnalysis.Interval(test, level);
            effectInterval = new ConfidenceInterval(interval.Lower * atShare, interval.Upper * atShare, level);
        }

        return new DoseResponseEstimate(
            endpoint,
            [.. arms.Select(a => new DoseResponseArm(a.Arm, a.Share, a.Gain.EstimatePoints))],
            seeds.Count,
            slopes,
            slope,
            interval,
            test?.PValue,
            atShare,
            slope * atShare,
            effectInterval,
            ConditionalOnRuns: seeds.Count < 2);
    }
}

/// <summary>A treatment arm of a dose–response: its share and its mean gain over the baseline (points).</summary>
public sealed record DoseResponseArm(string Arm, double Share, double GainPoints);

/// <summary>A dose–response fit through the baseline (see <see cref="DoseResponseAnalysis"/>).</summary>
/// <param name="Endpoint">What the gains measure.</param>
/// <param name="Arms">The arms, with their shares and mean gains.</param>
/// <param name="Seeds">Seeds every arm ran (S).</param>
/// <param name="PerSeedSlopes">βₛ per seed, in points per unit share.</param>
/// <param name="SlopePoints">β̄, points per unit share (×0.01 for points per percentage point of share).</param>
/// <param name="SlopeInterval">t interval of β̄ across seeds; null when S &lt; 2.</param>
/// <param name="PValue">Two-sided p of β̄ = 0 across seeds; null when S &lt; 2.</param>
/// <param name="AtShare">The share the effect is read at.</param>
/// <param name="EffectPoints">AtShare·β̄, in points.</param>
/// <param name="EffectInterval">The slope's interval times AtShare; null when S &lt; 2.</param>
/// <param name="ConditionalOnRuns">True when S &lt; 2: the fit describes these runs, not the method.</param>
public sealed record DoseResponseEstimate(
    string Endpoint,
    IReadOnlyList<DoseResponseArm> Arms,
    int Seeds,
    IReadOnlyList<double> PerSeedSlopes,
    double SlopePoints,
    ConfidenceInterval? SlopeInterval,
    double? PValue,
    double AtShare,
    double EffectPoints,
    ConfidenceInterval? EffectInterval,
    bool ConditionalOnRuns);
