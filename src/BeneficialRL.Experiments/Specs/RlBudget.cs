namespace BeneficialRL.Experiments.Specs;

/// <summary>The GRPO budget. Everything but <see cref="CheckpointEvery"/> and <see cref="Temperature"/> is compute and must match across arms.</summary>
public sealed record RlBudget
{
    /// <summary>GRPO steps.</summary>
    public int Steps { get; init; } = 40;

    /// <summary>Prompts per step.</summary>
    public int PromptsPerStep { get; init; } = 8;

    /// <summary>Rollouts per prompt (G).</summary>
    public int GroupSize { get; init; } = 4;

    /// <summary>Token limit per rollout.</summary>
    public int MaxNewTokens { get; init; } = 48;

    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 5e-5;

    /// <summary>KL coefficient β to the starting checkpoint.</summary>
    public double Beta { get; init; } = 0.02;

    /// <summary>Clip range ε.</summary>
    public double Epsilon { get; init; } = 0.2;

    /// <summary>A checkpoint every K steps (the final step always gets one).</summary>
    public int CheckpointEvery { get; init; } = 10;

    /// <summary>Rollout sampling temperature.</summary>
    public double Temperature { get; init; } = 1.0;
}
