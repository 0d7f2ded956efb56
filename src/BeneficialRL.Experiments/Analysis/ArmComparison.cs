using BeneficialRL.Analysis.Headline;
using BeneficialRL.Analysis.HeldOut;
using BeneficialRL.Analysis.Refusals;
using BeneficialRL.Analysis.SeedLevel;

namespace BeneficialRL.Experiments.Analysis;

/// <summary>One arm against the baseline.</summary>
/// <param name="Arm">The compared arm.</param>
/// <param name="Ood">Item-level headline (Welch on seed-averaged items) over the OOD alignment benchmarks, capability
/// benchmarks excluded (null when the suite was not run). Conditional on these runs: run-to-run variance is not in its tests.</param>
/// <param name="HeldOutTraits">Per held-out trait comparison (empty when the suite was not run).</param>
/// <param name="HeldOutOverall">All held-out items pooled into one comparison (null when not run).</param>
/// <param name="NonRefusal">Paired non-refusal re-analysis of the generated benchmarks.</param>
/// <param name="OodSeedLevel">Primary endpoint (a): seed-level paired analysis of the OOD alignment benchmarks, its endpoint
/// the mean OOD gain; per-benchmark BH q-values with power are secondary (null when the suite was not run).</param>
/// <param name="HeldOutSeedLevel">Primary endpoint (b): seed-level paired analysis of the held-out-scenario traits, its endpoint
/// the held-out trait mean difference (null when the suite was not run).</param>
/// <param name="Capability">The capability trade-off: seed-level paired analysis of the capability benchmarks, kept out of
/// the OOD headline (null when none were run).</param>
/// <param name="RefusalRates">Refusal rate of this arm and of the baseline over the classified (generated) answers, per seed too.</param>
public sealed record ArmComparison(
    string Arm,
    HeadlineReport? Ood,
    IReadOnlyList<TraitComparison> HeldOutTraits,
    BenchmarkComparison? HeldOutOverall,
    IReadOnlyList<PairedNonRefusalComparison> NonRefusal,
    SeedLevelReport? OodSeedLevel = null,
    SeedLevelReport? HeldOutSeedLevel = null,
    SeedLevelReport? Capability = null,
    IReadOnlyList<ArmRefusalRate>? RefusalRates = null);
