namespace BeneficialRL.Experiments.Stages;

/// <summary>One GRPO step of one run, as written to <c>metrics.jsonl</c> and streamed to subscribers.</summary>
public sealed record TrainingStepRecord
{
    /// <summary>0-based step.</summary>
    public required long Step { get; init; }

    /// <summary>Arm name.</summary>
    public required string Arm { get; init; }

    /// <summary>Training seed.</summary>
    public required long Seed { get; init; }

    /// <summary>Mean reward over all scored samples.</summary>
    public required double MeanReward { get; init; }

    /// <summary>Standard deviation of all scored rewards.</summary>
    public required double RewardStd { get; init; }

    /// <summary>Reward statistics per slice (slices drawn at this step only).</summary>
    public required IReadOnlyDictionary<string, SliceRewardStats> SliceRewards { get; init; }

    /// <summary>Mean k3 KL to the starting checkpoint per token.</summary>
    public required double Kl { get; init; }

    /// <summary>Mean entropy per completion token (nats).</summary>
    public required double Entropy { get; init; }

    /// <summary>Fraction of tokens whose ratio was clipped.</summary>
    public required double ClipFraction { get; init; }

    /// <summary>Fraction of groups without reward variance.</summary>
    public required double ZeroVarianceFraction { get; init; }

    /// <summary>Loss.</summary>
    public required double Loss { get; init; }

    /// <summary>Learning rate used.</summary>
    public required double LearningRate { get; init; }

    /// <summary>Rollout tokens generated.</summary>
    public required long TokensGenerated { get; init; }

    /// <summary>Tokens through scoring and training passes.</summary>
    public required long TokensTrained { get; init; }

    /// <summary>Estimated FLOPs of the step.</summary>
    public required double EstimatedFlops { get; init; }

    /// <summary>Wall time of the step in seconds (the only field that varies between identical runs).</summary>
    public required double WallSeconds { get; init; }
}
