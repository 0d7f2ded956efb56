namespace BeneficialRL.Experiments.Analysis;

/// <summary>A run's curves over RL steps and its reward-hacking verdict.</summary>
/// <param name="Arm">Arm name.</param>
/// <param name="Seed">Training seed.</param>
/// <param name="RewardPerStep">Mean training reward of every step.</param>
/// <param name="Checkpoints">Reward and held-out score at each evaluated checkpoint (step 0 = the base checkpoint).</param>
/// <param name="Alarm">The reward-hacking alarm.</param>
public sealed record RunCurve(string Arm, long Seed, IReadOnlyList<double> RewardPerStep, IReadOnlyList<CurvePoint> Checkpoints, RewardHackingVerdict Alarm);
