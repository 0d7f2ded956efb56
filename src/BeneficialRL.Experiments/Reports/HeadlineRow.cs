using BeneficialRL.Experiments.Analysis;

namespace BeneficialRL.Experiments.Reports;

/// <summary>The headline of one arm against the baseline.</summary>
/// <param name="Arm">The arm.</param>
/// <param name="Benchmarks">OOD benchmarks compared.</param>
/// <param name="Improved">Benchmarks improved (point estimate).</param>
/// <param name="ImprovedShare">Improved / benchmarks.</param>
/// <param name="SignificantImprovements">Improvements with q ≤ FDR.</param>
/// <param name="SignificantRegressions">Regressions with q ≤ FDR.</param>
/// <param name="MeanGainPoints">Mean delta over benchmarks, in points.</param>
/// <param name="HeldOutDeltaPoints">Pooled held-out trait delta in points (NaN when not run).</param>
/// <param name="HeldOutDeltaLower">Lower end of its 95% CI.</param>
/// <param name="HeldOutDeltaUpper">Upper end of its 95% CI.</param>
/// <param name="HeldOutQ">Its q-value (a single test: equal to p).</param>
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
    double HeldOutQ)
{
    /// <summary>The row of <paramref name="comparison"/>.</summary>
    public static HeadlineRow From(ArmComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var ood = comparison.Ood;
        var held = comparison.HeldOutOverall;
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
            held?.QValue ?? double.NaN);
    }
}
