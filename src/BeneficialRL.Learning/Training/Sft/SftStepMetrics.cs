namespace BeneficialRL.Learning.Training.Sft;

/// <summary>What one SFT optimizer step did.</summary>
public sealed record SftStepMetrics
{
    /// <summary>0-based index of the step.</summary>
    public required long Step { get; init; }

    /// <summary>Mean cross-entropy per response token (nats).</summary>
    public required double Loss { get; init; }

    /// <summary>Learning rate used.</summary>
    public required double LearningRate { get; init; }

    /// <summary>Gradient L2 norm before clipping.</summary>
    public required double GradientNorm { get; init; }

    /// <summary>Response tokens trained on.</summary>
    public required long TrainedTokens { get; init; }

    /// <summary>All non-padding tokens processed.</summary>
    public required long TokensProcessed { get; init; }

    /// <summary>Estimated training FLOPs (3 × forward: forward + backward).</summary>
    public required double EstimatedFlops { get; init; }

    /// <summary>Wall time of the step.</summary>
    public required TimeSpan WallTime { get; init; }
}
