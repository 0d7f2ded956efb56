namespace BeneficialRL.Learning.Training.Grpo;

/// <summary>How scoring one sample ended.</summary>
public enum RewardStatus
{
    /// <summary>A finite reward arrived in time.</summary>
    Scored,

    /// <summary>The per-sample timeout elapsed first.</summary>
    TimedOut,

    /// <summary>The reward threw or returned a non-finite number.</summary>
    Failed,
}

/// <summary>The reward of one sample, or why there is none.</summary>
/// <param name="Status">How scoring ended.</param>
/// <param name="Reward">The reward when <see cref="RewardStatus.Scored"/>, else NaN.</param>
/// <param name="Error">The failure message when not scored.</param>
public sealed record RewardOutcome(RewardStatus Status, double Reward, string? Error = null);
