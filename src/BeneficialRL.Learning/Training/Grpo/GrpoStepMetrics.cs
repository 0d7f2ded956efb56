namespace BeneficialRL.Learning.Training.Grpo;

/// <summary>What one GRPO step did: reward statistics, optimisation diagnostics and cost.</summary>
public sealed record GrpoStepMetrics
{
    /// <summary>0-based step index.</summary>
    public required long Step { get; init; }

    /// <summary>Mean reward over scored samples (NaN when none scored).</summary>
    public required double MeanReward { get; init; }

    /// <summary>Population standard deviation of the scored rewards.</summary>
    public required double RewardStd { get; init; }

    /// <summary>Mean k3 KL estimate to the reference model per completion token.</summary>
    public required double Kl { get; init; }

    /// <summary>Mean policy entropy per completion token (nats), before the update.</summary>
    public required double Entropy { get; init; }

    /// <summary>Fraction of completion tokens whose ratio left [1-ε, 1+ε].</summary>
    public required double ClipFraction { get; init; }

    /// <summary>Mean loss over update epochs.</summary>
    public required double Loss { get; init; }

    /// <summary>Groups (prompts) in the batch.</summary>
    public required int Groups { get; init; }

    /// <summary>Groups whose scored rewards were all equal (or fewer than two scored): no learning signal.</summary>
    public required int ZeroVarianceGroups { get; init; }

    /// <summary><see cref="ZeroVarianceGroups"/> / <see cref="Groups"/>.</summary>
    public double ZeroVarianceGroupFraction => Groups == 0 ? 0 : (double)ZeroVarianceGroups / Groups;

    /// <summary>Rollouts generated.</summary>
    public required int Samples { get; init; }

    /// <summary>Samples whose reward threw or was not finite (excluded from the loss).</summary>
    public required int RewardFailures { get; init; }

    /// <summary>Samples whose reward missed the deadline (excluded from the loss).</summary>
    public required int RewardTimeouts { get; init; }

    /// <summary>Mean generated tokens per rollout.</summary>
    public required double MeanCompletionTokens { get; init; }

    /// <summary>Tokens through the model: generated + scored forward passes + training passes.</summary>
    public required long TokensProcessed { get; init; }

    /// <summary>Estimated FLOPs of rollouts, reference/old log-prob passes and updates.</summary>
    public required double EstimatedFlops { get; init; }

    /// <summary>Learning rate used.</summary>
    public required double LearningRate { get; init; }

    /// <summary>Gradient norm before clipping (last epoch).</summary>
    public required double GradientNorm { get; init; }

    /// <summary>Time spent generating rollouts.</summary>
    public required TimeSpan RolloutTime { get; init; }

    /// <summary>Time spent waiting for rewards.</summary>
    public required TimeSpan RewardTime { get; init; }

    /// <summary>Whole step.</summary>
    public required TimeSpan WallTime { get; init; }
}
