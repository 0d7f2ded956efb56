using BeneficialRL.Analysis.Durability;
using BeneficialRL.Durability.Attacks;

namespace BeneficialRL.Durability.Adversarial;

/// <summary>Subject versus reference on one attack.</summary>
/// <param name="AttackId">The attack.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Comparison">Both degradations and their difference (subject is "treatment", reference is "baseline").</param>
public sealed record AttackComparison(string AttackId, AttackKind Kind, DegradationComparison Comparison);
