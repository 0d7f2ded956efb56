using BeneficialRL.Analysis.Bootstrap;
using BeneficialRL.Analysis.Descriptive;
using BeneficialRL.Analysis.HypothesisTests;

namespace BeneficialRL.Analysis.Headline;

/// <summary>Treatment versus baseline on one benchmark.</summary>
/// <param name="BenchmarkId">The benchmark.</param>
/// <param name="Treatment">Summary of the treatment arm's item scores (seeds averaged per item), in score units.</param>
/// <param name="Baseline">Summary of the baseline arm's item scores, in score units.</param>
/// <param name="DeltaPoints">Bootstrap estimate and percentile CI of treatment − baseline, in points (score × <see cref="AnalysisOptions.PointsPerUnit"/>).</param>
/// <param name="Welch">Welch's t-test of treatment − baseline, in score units.</param>
/// <param name="QValue">Benjamini–Hochberg q-value of the Welch p-value across all benchmarks of the comparison.</param>
/// <param name="SignificantImprovement">q ≤ FDR and treatment above baseline.</param>
/// <param name="SignificantRegression">q ≤ FDR and treatment below baseline.</param>
public sealed record BenchmarkComparison(
    string BenchmarkId,
    SampleSummary Treatment,
    SampleSummary Baseline,
    BootstrapInterval DeltaPoints,
    TTestResult Welch,
    double QValue,
    bool SignificantImprovement,
    bool SignificantRegression);
