using BeneficialRL.Analysis.Bootstrap;
using BeneficialRL.Analysis.HypothesisTests;

namespace BeneficialRL.Analysis.Refusals;

/// <summary>
/// One benchmark re-analysed on the items that neither arm refused, paired by item id.
/// </summary>
/// <param name="BenchmarkId">The benchmark.</param>
/// <param name="PairedItems">Items present in both arms.</param>
/// <param name="TreatmentRefusals">Paired items the treatment arm refused.</param>
/// <param name="BaselineRefusals">Paired items the baseline arm refused.</param>
/// <param name="KeptItems">Paired items neither arm refused: the sample of the re-test.</param>
/// <param name="UnpairedItems">Items present in only one arm (left out).</param>
/// <param name="DeltaPoints">Mean paired difference treatment − baseline on kept items, in points, with a paired bootstrap CI; null with fewer than two kept items.</param>
/// <param name="Test">Paired t-test on kept items (score units); null with fewer than two kept items.</param>
/// <param name="QValue">Benjamini–Hochberg q-value across the benchmarks that could be tested; null when not tested.</param>
/// <param name="SignificantImprovement">q ≤ FDR and treatment above baseline.</param>
/// <param name="SignificantRegression">q ≤ FDR and treatment below baseline.</param>
public sealed record PairedNonRefusalComparison(
    string BenchmarkId,
    int PairedItems,
    int TreatmentRefusals,
    int BaselineRefusals,
    int KeptItems,
    int UnpairedItems,
    BootstrapInterval? DeltaPoints,
    TTestResult? Test,
    double? QValue,
    bool SignificantImprovement,
    bool SignificantRegression)
{
    /// <summary>Share of paired items the treatment arm refused.</summary>
    public double TreatmentRefusalRate => PairedItems == 0 ? 0 : (double)TreatmentRefusals / PairedItems;

    /// <summary>Share of paired items the baseline arm refused.</summary>
    public double BaselineRefusalRate => PairedItems == 0 ? 0 : (double)BaselineRefusals / PairedItems;
}
