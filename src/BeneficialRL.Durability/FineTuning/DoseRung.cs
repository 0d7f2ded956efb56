namespace BeneficialRL.Durability.FineTuning;

/// <summary>One rung of a completed ladder.</summary>
/// <typeparam name="T">What the caller's evaluation returned.</typeparam>
/// <param name="Lineage">The rung's checkpoint lineage.</param>
/// <param name="MeanLoss">Mean SFT loss over the steps since the previous rung (NaN at dose 0).</param>
/// <param name="Evaluation">The evaluation after the dose.</param>
public sealed record DoseRung<T>(CheckpointLineage Lineage, double MeanLoss, T Evaluation);
