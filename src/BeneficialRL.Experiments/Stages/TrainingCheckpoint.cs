using BeneficialRL.Learning.Checkpoints;

namespace BeneficialRL.Experiments.Stages;

/// <summary>A checkpoint taken during a run, with trainer state so the run can resume from it. The callee owns nothing: it must not dispose it.</summary>
/// <param name="Arm">Arm name.</param>
/// <param name="Seed">Training seed.</param>
/// <param name="Step">Steps completed when it was taken.</param>
/// <param name="Final">Whether it is the run's last checkpoint.</param>
/// <param name="Checkpoint">Weights, tokenizer and trainer state.</param>
public sealed record TrainingCheckpoint(string Arm, long Seed, long Step, bool Final, Checkpoint Checkpoint);
