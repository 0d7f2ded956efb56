namespace BeneficialRL.Experiments.Analysis;

/// <summary>The reward-hacking alarm of one run.</summary>
/// <param name="Fired">Whether any window tripped it.</param>
/// <param name="Windows">The windows that tripped it, in step order.</param>
/// <param name="Checkpoints">Checkpoints examined.</param>
public sealed record RewardHackingVerdict(bool Fired, IReadOnlyList<RewardHackingWindow> Windows, int Checkpoints);
