using BeneficialRL.Analysis.Correlation;
using BeneficialRL.Analysis.Pca;

namespace BeneficialRL.Experiments.Analysis;

/// <summary>
/// How held-out trait scores move together across every evaluated checkpoint of the experiment:
/// Spearman correlations between traits and a PCA with a permutation null on the first component.
/// </summary>
/// <param name="Checkpoints">Checkpoint ids (rows), e.g. <c>treatment-s1@20</c>; the shared base appears once as <c>base@0</c>.</param>
/// <param name="Spearman">Trait × trait rank correlations over checkpoints (null when not computable).</param>
/// <param name="Pca">Principal components (null when not computable).</param>
/// <param name="Permutation">Permutation null of the first component's share (null when not computable).</param>
/// <param name="Note">Why a part could not be computed, or empty.</param>
public sealed record CheckpointStructure(
    IReadOnlyList<string> Checkpoints,
    SpearmanMatrix? Spearman,
    PcaResult? Pca,
    PcaPermutationResult? Permutation,
    string Note);
