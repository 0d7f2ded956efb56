using BeneficialRL.Analysis.Durability;
using BeneficialRL.Durability.Attacks;

namespace BeneficialRL.Durability.Adversarial;

/// <summary>Subject versus reference on the pooled attacks of one kind.</summary>
/// <param name="Kind">The attack kind.</param>
/// <param name="Comparison">Both degradations and their difference (subject is "treatment", reference is "baseline").</param>
public sealed record KindComparison(AttackKind Kind, DegradationComparison Comparison);
