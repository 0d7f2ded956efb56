using BeneficialRL.Analysis.Durability;
using BeneficialRL.Durability.Attacks;

namespace BeneficialRL.Durability.Adversarial;

/// <summary>
/// The attacks of one kind pooled (every attack × item is one paired observation). Harmful steering and helpful
/// steering are kept apart: a helpful persona should not lower scores (negative degradation = it raised them).
/// </summary>
/// <param name="Kind">The kind.</param>
/// <param name="AttackIds">The attacks pooled.</param>
/// <param name="Degradation">Clean − attacked in points with a bootstrap CI.</param>
public sealed record KindOutcome(AttackKind Kind, IReadOnlyList<string> AttackIds, ArmDegradation Degradation);
