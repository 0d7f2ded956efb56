using BeneficialRL.Learning.Generation;

namespace BeneficialRL.Learning.Training.Grpo;

/// <summary>GRPO hyper-parameters.</summary>
public sealed record GrpoOptions
{
    /// <summary>Rollouts per prompt (G).</summary>
    public int GroupSize { get; init; } = 8;

    /// <summary>Clip range ε of the surrogate ratio.</summary>
    public double ClipEpsilon { get; init; } = 0.2;

    /// <summary>Coefficient β of the k3 KL penalty to the reference model (0 disables the reference pass).</summary>
    public double KlCoefficient { get; init; } = 0.04;

    /// <summary>Token- or sequence-level averaging of the loss.</summary>
    public LossAggregation Aggregation { get; init; } = LossAggregation.TokenLevel;

    /// <summary>Optimizer updates per rollout batch (each over all samples).</summary>
    public int UpdateEpochs { get; init; } = 1;

    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 1e-5;

    /// <summary>Linear warmup steps.</summary>
    public int WarmupSteps { get; init; }

    /// <summary>Steps over which the cosine decays.</summary>
    public int TotalSteps { get; init; } = 1000;

    /// <summary>Final learning rate as a fraction of the peak.</summary>
    public double MinimumLearningRateRatio { get; init; } = 0.1;

    /// <summary>Global gradient-norm clip.</summary>
    public double GradientClipNorm { get; init; } = 1.0;

    /// <summary>AdamW settings.</summary>
    public AdamWOptions Optimizer { get; init; } = new();

    /// <summary>Rollout sampling (its Seed is ignored: each step draws one from the trainer's generator).</summary>
    public SamplingOptions Sampling { get; init; } = new();

    /// <summary>Sequences per forward/backward pass.</summary>
    public int MicroBatchSize { get; init; } = 32;

    /// <summary>Rollouts generated together.</summary>
    public int RolloutBatchSize { get; init; } = 64;

    /// <summary>Deadline of each reward sample.</summary>
    public TimeSpan RewardTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Added to the group standard deviation when normalising advantages.</summary>
    public double AdvantageEpsilon { get; init; } = 1e-6;

    /// <summary>Seeds rollouts.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Throws naming the first invalid field.</summary>
    public void Validate()
    {
        Require(GroupSize >= 2, nameof(GroupSize), "must be at least 2 (advantages compare samples within a group)");
        Require(ClipEpsilon > 0, nameof(ClipEpsilon), "must be positive");
        Require(KlCoefficient >= 0, nameof(KlCoefficient), "must be zero or positive");
        Require(UpdateEpochs >= 1, nameof(UpdateEpochs), "must be at least 1");
        Require(LearningRate > 0, nameof(LearningRate), "must be positive");
        Require(MicroBatchSize >= 1, nameof(MicroBatchSize), "must be positive");
        Require(RolloutBatchSize >= 1, nameof(RolloutBatchSize), "must be positive");
        Require(RewardTimeout > TimeSpan.Zero, nameof(RewardTimeout), "must be positive");
        Sampling.Validate();
    }

    private static void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"GrpoOptions.{field} {message}.", field);
        }
    }
}
