using BeneficialRL.Analysis.Durability;
using BeneficialRL.Durability.Attacks;

namespace BeneficialRL.Durability.Adversarial;

/// <summary>What one attack did to one subject, pooled over the benchmarks and per benchmark.</summary>
/// <param name="AttackId">The attack.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Degradation">Clean and attacked means and clean − attacked with a bootstrap CI over items, points.</param>
/// <param name="PerBenchmark">The same per benchmark (means only).</param>
public sealed record AttackOutcome(string AttackId, AttackKind Kind, ArmDegradation Degradation, IReadOnlyList<BenchmarkAttackOutcome> PerBenchmark);
