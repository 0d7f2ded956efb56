namespace BeneficialRL.Durability.Adversarial;

/// <summary>One attack on one benchmark, as means over its items.</summary>
/// <param name="BenchmarkId">The benchmark.</param>
/// <param name="CleanMeanPoints">Mean clean score, points.</param>
/// <param name="AttackedMeanPoints">Mean attacked score, points.</param>
/// <param name="DegradationPoints">Clean − attacked, points (positive = lost ground).</param>
public sealed record BenchmarkAttackOutcome(string BenchmarkId, double CleanMeanPoints, double AttackedMeanPoints, double DegradationPoints);
