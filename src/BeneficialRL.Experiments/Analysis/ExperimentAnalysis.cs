using BeneficialRL.Analysis.DoseResponse;
using BeneficialRL.Analysis.Transfer;
using BeneficialRL.Experiments.Compute;

namespace BeneficialRL.Experiments.Analysis;

/// <summary>Everything the analysis stage computed; the report renders it.</summary>
/// <param name="Baseline">The baseline arm.</param>
/// <param name="Comparisons">Each other arm against the baseline.</param>
/// <param name="Transfer">Training condition × evaluation domain gains (null without domain-tagged items).</param>
/// <param name="Curves">Per-run reward and held-out curves with alarms.</param>
/// <param name="CheckpointStructure">Spearman correlations and PCA of held-out trait scores across checkpoints (null without checkpoint evaluations).</param>
/// <param name="Compute">Measured compute per arm and the mismatch flag.</param>
/// <param name="FalseDiscoveryRate">FDR used.</param>
/// <param name="PlantedBenchmarks">The OOD benchmarks that carry a planted effect (positive control), or null when none was planted.</param>
/// <param name="AfterTraining">The pre-flight check made after training: the trait-slice reward of every treatment run rises (null in analyses written before it existed).</param>
/// <param name="DoseResponse">With treatment arms at two or more trait shares: each primary endpoint's line through the baseline, read at the paper's share (null otherwise).</param>
public sealed record ExperimentAnalysis(
    string Baseline,
    IReadOnlyList<ArmComparison> Comparisons,
    TransferMatrix? Transfer,
    IReadOnlyList<RunCurve> Curves,
    CheckpointStructure? CheckpointStructure,
    ComputeLedger Compute,
    double FalseDiscoveryRate,
    IReadOnlyList<Preflight.PreflightCheck>? AfterTraining = null,
    IReadOnlyList<string>? PlantedBenchmarks = null,
    IReadOnlyList<DoseResponseEstimate>? DoseResponse = null);
