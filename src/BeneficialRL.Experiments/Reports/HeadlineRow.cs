using BeneficialRL.Analysis.Descriptive;
using BeneficialRL.Analysis.SeedLevel;
using BeneficialRL.Experiments.Analysis;

namespace BeneficialRL.Experiments.Reports;

/// <summary>
/// The headline of one arm against the baseline. The first members are the item-level figures of earlier
/// reports (kept so old readers still parse the JSON; their tests are conditional on these runs); the primary
/// endpoints with seed-level intervals follow.
/// </summary>
/// <param name="Arm">The arm.</param>
/// <param name="Benchmarks">OOD alignment benchmarks compared (capability benchmarks are in the trade-off table).</param>
/// <param name="Improved">Benchmarks improved (point estimate).</param>
/// <param name="ImprovedShare">Improved / benchmarks.</param>
/// <param name="SignificantImprovements">Improvements with item-level Welch q ≤ FDR (conditional on these runs).</param>
/// <param name="SignificantRegressions">Regressions with item-level Welch q ≤ FDR (conditional on these runs).</param>
/// <param name="MeanGainPoints">Mean delta over benchmarks, in points.</param>
/// <param name="HeldOutDeltaPoints">Pooled held-out trait delta in points, item-level (NaN when not run).</param>
/// <param name="HeldOutDeltaLower">Lower end of its item-level 95% CI (conditional on these runs).</param>
/// <param name="HeldOutDeltaUpper">Upper end of its item-level 95% CI.</param>
/// <param name="HeldOutQ">Its item-level q-value (a single test: equal to p).</param>
/// <param name="SeedPairs">Seed pairs behind the primary endpoints (S).</param>
/// <param name="ConditionalOnRuns">True with one seed pair: the intervals below describe these runs, not the method, and no p-value is given.</param>
/// <param name="IntervalBasis">What the primary intervals are: seed-level t with S − 1 df, or the item-level interval "conditional on these runs".</param>
/// <param name="OodGainPoints">Primary endpoint (a): mean OOD gain over the alignment benchmarks, in points (NaN when not run).</param>
/// <param name="OodGainLower">Lower end of its interval (see <paramref name="IntervalBasis"/>).</param>
/// <param name="OodGainUpper">Upper end of its interval.</param>
/// <param name="OodGainP">Its seed-level p-value (NaN with one seed pair).</param>
/// <param name="HeldOutGainPoints">Primary endpoint (b): held-out-scenario trait mean difference, in points (NaN when not run).</param>
/// <param name="HeldOutGainLower">Lower end of its interval.</param>
/// <param name="HeldOutGainUpper">Upper end of its interval.</param>
/// <param name="HeldOutGainP">Its seed-level p-value (NaN with one seed pair).</param>
/// <param name="SeedLevelSignificantImprovements">Secondary: OOD alignment benchmarks with seed-level BH q ≤ FDR and a gain (null with one seed pair).</param>
/// <param name="SeedLevelSignificantRegressions">Secondary: the same with a loss (null with one seed pair).</param>
/// <param name="PowerEffectPoints">The per-benchmark effect the power is computed for, in points.</param>
/// <param name="MeanPower">Mean per-benchmark power of the seed-level test at the unadjusted level (upper bound for BH; NaN with one seed pair).</param>
/// <param name="MeanPowerAdjusted">The same at the Bonferroni level (lower bound for BH; NaN with one seed pair).</param>
/// <param name="CapabilityChangePoints">Mean change over the capability benchmarks, in points (NaN when none were run).</param>
/// <param name="TreatmentRefusalRate">Refusal rate of the arm over classified answers (NaN when none).</param>
/// <param name="BaselineRefusalRate">Refusal rate of the baseline over classified answers (NaN when none).</param>
public sealed record HeadlineRow(
    string Arm,
    int Benchmarks,
    int Improved,
    double ImprovedShare,
    int SignificantImprovements,
    int SignificantRegressions,
    double MeanGainPoints,
    double HeldOutDeltaPoints,
    double HeldOutDeltaLower,
    double HeldOutDeltaUpper,
    double HeldOutQ,
    int SeedPairs = 0,
    bool ConditionalOnRuns = true,
    string IntervalBasis = "",
    double OodGainPoints = double.NaN,
    double OodGainLower = double.NaN,
    double OodGainUpper = double.NaN,
    double OodGainP = double.NaN,
    double HeldOutGainPoints = double.NaN,
    double HeldOutGainLower = double.NaN,
    double HeldOutGainUpper = double.NaN,
    double HeldOutGainP = double.NaN,
    int? SeedLevelSignificantImprovements = null,
    int? SeedLevelSignificantRegressions = null,
    double PowerEffectPoints = double.NaN,
    double MeanPower = double.NaN,
    double MeanPowerAdjusted = double.NaN,
    double CapabilityChangePoints = double.NaN,
    double TreatmentRefusalRate = double.NaN,
    double BaselineRefusalRate = double.NaN)
{
    /// <summary>The row of <paramref name="comparison"/>.</summary>
    public static HeadlineRow From(ArmComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var ood = comparison.Ood;
        var held = comparison.HeldOutOverall;
        var oodEndpoint = comparison.OodSeedLevel?.Endpoint;
        var heldEndpoint = comparison.HeldOutSeedLevel?.Endpoint;
        var oodInterval = oodEndpoint is null ? null : PrimaryInterval(oodEndpoint);
        var heldInterval = heldEndpoint is null ? null : PrimaryInterval(heldEndpoint);
        var seedPairs = Math.Max(oodEndpoint?.SeedPairs ?? 0, heldEndpoint?.SeedPairs ?? 0);
        var conditional = seedPairs < 2;
        var seedLevel = comparison.OodSeedLevel is { ConditionalOnRuns: false } report ? report : null;
        var rates = comparison.RefusalRates ?? [];
        return new HeadlineRow(
            comparison.Arm,
            ood?.Benchmarks.Count ?? 0,
            ood?.Improved ?? 0,
            ood?.ImprovedShare ?? double.NaN,
            ood?.SignificantImprovements ?? 0,
            ood?.SignificantRegressions ?? 0,
            ood?.MeanGainPoints ?? double.NaN,
            held?.DeltaPoints.Estimate ?? double.NaN,
            held?.DeltaPoints.Interval.Lower ?? double.NaN,
            held?.DeltaPoints.Interval.Upper ?? double.NaN,
            held?.QValue ?? double.NaN,
            seedPairs,
            conditional,
            Basis(seedPairs),
            oodEndpoint?.EstimatePoints ?? double.NaN,
            oodInterval?.Lower ?? double.NaN,
            oodInterval?.Upper ?? double.NaN,
            oodEndpoint?.SeedLevelTest?.PValue ?? double.NaN,
            heldEndpoint?.EstimatePoints ?? double.NaN,
            heldInterval?.Lower ?? double.NaN,
            heldInterval?.Upper ?? double.NaN,
            heldEndpoint?.SeedLevelTest?.PValue ?? double.NaN,
            seedLevel?.SignificantImprovements,
            seedLevel?.SignificantRegressions,
            comparison.OodSeedLevel?.PowerEffectPoints ?? double.NaN,
            seedLevel?.MeanPower ?? double.NaN,
            seedLevel?.MeanPowerAdjusted ?? double.NaN,
            comparison.Capability?.Endpoint.EstimatePoints ?? double.NaN,
            rates.FirstOrDefault(r => r.Arm == comparison.Arm)?.Rate ?? double.NaN,
            rates.Skip(1).FirstOrDefault()?.Rate ?? double.NaN);
    }

    /// <summary>The interval to print for a primary estimate: seed-level when S ≥ 2, else the item-level one (conditional on these runs).</summary>
    /// <param name="estimate">A seed-level estimate.</param>
    public static ConfidenceInterval PrimaryInterval(SeedLevelEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        return estimate.SeedLevelInterval ?? estimate.ItemLevelInterval;
    }

    /// <summary>Words for what a primary interval with <paramref name="seedPairs"/> seed pairs describes.</summary>
    /// <param name="seedPairs">S.</param>
    public static string Basis(int seedPairs) => seedPairs < 2
        ? $"item-level, {SeedLevelAnalysis.ConditionalLabel} (1 seed pair: describes these two runs, not the method; no p-value)"
        : $"seed-level t across {seedPairs} seed pairs ({seedPairs - 1} df)";
}
