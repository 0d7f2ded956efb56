namespace BeneficialRL.Analysis.Headline;

/// <summary>
/// The headline of a treatment-versus-baseline comparison over many benchmarks, as in the paper:
/// how many benchmarks improved, how many significantly, how many significantly regressed, mean gain.
/// </summary>
/// <param name="Benchmarks">Per-benchmark comparisons, ordered by benchmark id (ordinal).</param>
/// <param name="Improved">Benchmarks whose point estimate of treatment − baseline is above 0.</param>
/// <param name="ImprovedShare"><paramref name="Improved"/> / number of benchmarks.</param>
/// <param name="SignificantImprovements">Benchmarks improved with q ≤ FDR.</param>
/// <param name="SignificantRegressions">Benchmarks regressed with q ≤ FDR.</param>
/// <param name="MeanGainPoints">Unweighted mean over benchmarks of the delta in points (every benchmark counts once, whatever its size).</param>
/// <param name="Regressions">Ids of the significantly regressed benchmarks, worst delta first.</param>
/// <param name="FalseDiscoveryRate">The FDR the significance counts use.</param>
public sealed record HeadlineReport(
    IReadOnlyList<BenchmarkComparison> Benchmarks,
    int Improved,
    double ImprovedShare,
    int SignificantImprovements,
    int SignificantRegressions,
    double MeanGainPoints,
    IReadOnlyList<string> Regressions,
    double FalseDiscoveryRate);
