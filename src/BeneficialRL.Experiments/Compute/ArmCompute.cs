namespace BeneficialRL.Experiments.Compute;

/// <summary>Compute one arm actually spent, summed over its seeds.</summary>
/// <param name="Arm">The arm.</param>
/// <param name="Runs">Training runs (seeds) counted.</param>
/// <param name="Steps">GRPO steps over all runs.</param>
/// <param name="TokensGenerated">Rollout tokens generated.</param>
/// <param name="TokensTrained">Tokens through forward/backward passes (reference, old-policy and update passes).</param>
/// <param name="EstimatedFlops">Estimated FLOPs of rollouts and updates.</param>
/// <param name="WallSeconds">Wall time of the steps.</param>
public sealed record ArmCompute(string Arm, int Runs, long Steps, long TokensGenerated, long TokensTrained, double EstimatedFlops, double WallSeconds);
