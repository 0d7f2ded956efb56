namespace BeneficialRL.Experiments.Stages;

/// <summary>A finished (or resumed-and-finished) run.</summary>
/// <param name="Arm">Arm name.</param>
/// <param name="Seed">Training seed.</param>
/// <param name="Records">Step records produced by this call (from the resume step on).</param>
/// <param name="FinalStep">Steps completed.</param>
public sealed record TrainingRunResult(string Arm, long Seed, IReadOnlyList<TrainingStepRecord> Records, long FinalStep);
