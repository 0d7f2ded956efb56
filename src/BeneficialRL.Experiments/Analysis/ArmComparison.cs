using BeneficialRL.Analysis.Headline;
using BeneficialRL.Analysis.HeldOut;
using BeneficialRL.Analysis.Refusals;

namespace BeneficialRL.Experiments.Analysis;

/// <summary>One arm against the baseline.</summary>
/// <param name="Arm">The compared arm.</param>
/// <param name="Ood">Headline over the OOD benchmarks (null when the suite was not run).</param>
/// <param name="HeldOutTraits">Per held-out trait comparison (empty when the suite was not run).</param>
/// <param name="HeldOutOverall">All held-out items pooled into one comparison (null when not run).</param>
/// <param name="NonRefusal">Paired non-refusal re-analysis of the generated benchmarks.</param>
public sealed record ArmComparison(
    string Arm,
    HeadlineReport? Ood,
    IReadOnlyList<TraitComparison> HeldOutTraits,
    BenchmarkComparison? HeldOutOverall,
    IReadOnlyList<PairedNonRefusalComparison> NonRefusal);
