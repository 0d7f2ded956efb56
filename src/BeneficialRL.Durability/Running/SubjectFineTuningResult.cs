using BeneficialRL.Analysis.Durability;

namespace BeneficialRL.Durability.Running;

/// <summary>One subject's harmful fine-tuning: the dose curves, half-lives and Δ table.</summary>
/// <param name="Subject">The subject.</param>
/// <param name="Domain">The corpus domain.</param>
/// <param name="Rungs">One per dose, in dose order.</param>
/// <param name="InDomainHalfLife">Alignment half-life on in-domain items (null when fewer than two items).</param>
/// <param name="OutOfDomainHalfLife">Alignment half-life on out-of-domain items (null when fewer than two items).</param>
/// <param name="DeltaTable">Before − after per scope and benchmark group.</param>
/// <param name="WallSeconds">Training and evaluation time.</param>
public sealed record SubjectFineTuningResult(
    string Subject,
    string Domain,
    IReadOnlyList<DoseRungResult> Rungs,
    HalfLifeEstimate? InDomainHalfLife,
    HalfLifeEstimate? OutOfDomainHalfLife,
    IReadOnlyList<DeltaRow> DeltaTable,
    double WallSeconds);
