using BeneficialRL.Analysis.Durability;

namespace BeneficialRL.Durability.Running;

/// <summary>
/// A subject against the reference subject after harmful fine-tuning, in one scope: degradation (dose 0 − largest
/// dose) pooled and per benchmark group with bootstrap CIs and BH q-values, and the half-life difference with its CI.
/// </summary>
/// <param name="Subject">The subject (the comparison's "treatment").</param>
/// <param name="Reference">The reference (the comparison's "baseline").</param>
/// <param name="Scope"><see cref="DeltaRow.InDomain"/> or <see cref="DeltaRow.OutOfDomain"/>.</param>
/// <param name="Pooled">All items of the scope.</param>
/// <param name="DeltaTable">Per benchmark group.</param>
/// <param name="HalfLife">Subject − reference half-life in dose units with a CI.</param>
public sealed record FineTuningComparison(
    string Subject,
    string Reference,
    string Scope,
    DegradationComparison Pooled,
    IReadOnlyList<DegradationComparison> DeltaTable,
    HalfLifeComparison HalfLife);
