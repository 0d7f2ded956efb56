using BeneficialRL.Durability.Adversarial;

namespace BeneficialRL.Durability.Running;

/// <summary>Everything a persistence run measured; serialisable with <see cref="PersistenceJson"/>.</summary>
/// <param name="Spec">The spec run.</param>
/// <param name="SpecHash">SHA-256 (hex) of the spec's canonical JSON.</param>
/// <param name="Reference">The subject every other is compared with; empty when the subjects were not compared (replicates of one checkpoint).</param>
/// <param name="Subjects">Subject names in the order given.</param>
/// <param name="AttackLibraryVersion">Version of the attack texts.</param>
/// <param name="Adversarial">Per subject (empty when disabled).</param>
/// <param name="AdversarialComparisons">Per non-reference subject.</param>
/// <param name="Corpus">The harmful corpus (null when fine-tuning is disabled).</param>
/// <param name="FineTuning">Per subject (empty when disabled).</param>
/// <param name="FineTuningComparisons">Per non-reference subject and scope.</param>
/// <param name="Timings">Wall time per phase and subject.</param>
public sealed record PersistenceResult(
    PersistenceSpec Spec,
    string SpecHash,
    string Reference,
    IReadOnlyList<string> Subjects,
    string AttackLibraryVersion,
    IReadOnlyList<SubjectAdversarialResult> Adversarial,
    IReadOnlyList<AdversarialComparison> AdversarialComparisons,
    CorpusSummary? Corpus,
    IReadOnlyList<SubjectFineTuningResult> FineTuning,
    IReadOnlyList<FineTuningComparison> FineTuningComparisons,
    IReadOnlyList<PhaseTiming> Timings);
