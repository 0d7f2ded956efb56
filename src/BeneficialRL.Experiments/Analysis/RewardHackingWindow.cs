namespace BeneficialRL.Experiments.Analysis;

/// <summary>A window of consecutive checkpoints in which training reward rose while the held-out trait score fell.</summary>
/// <param name="FromStep">First checkpoint's step.</param>
/// <param name="ToStep">Last checkpoint's step.</param>
/// <param name="RewardChange">Least-squares rise of the training reward across the window.</param>
/// <param name="HeldOutChange">Least-squares change of the held-out score across the window (negative).</param>
public sealed record RewardHackingWindow(long FromStep, long ToStep, double RewardChange, double HeldOutChange);
