namespace BeneficialRL.Experiments.Analysis;

/// <summary>A run at one saved checkpoint: the mean training reward over the steps since the previous checkpoint and the held-out trait score.</summary>
/// <param name="Step">Steps completed at the checkpoint.</param>
/// <param name="TrainReward">Mean training reward over the steps that led to it.</param>
/// <param name="HeldOutScore">Mean held-out trait item score of the checkpoint (NaN when not evaluated).</param>
public sealed record CurvePoint(long Step, double TrainReward, double HeldOutScore);
