namespace BeneficialRL.Learning.Training.Sft;

/// <summary>Supervised fine-tuning hyper-parameters.</summary>
public sealed record SftOptions
{
    /// <summary>Examples per optimizer step.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Examples per forward/backward pass; gradients of micro-batches accumulate into one step.</summary>
    public int MicroBatchSize { get; init; } = 16;

    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Linear warmup steps.</summary>
    public int WarmupSteps { get; init; } = 10;

    /// <summary>Steps over which the cosine decays.</summary>
    public int TotalSteps { get; init; } = 1000;

    /// <summary>Final learning rate as a fraction of the peak.</summary>
    public double MinimumLearningRateRatio { get; init; } = 0.1;

    /// <summary>Global gradient-norm clip.</summary>
    public double GradientClipNorm { get; init; } = 1.0;

    /// <summary>AdamW settings.</summary>
    public AdamWOptions Optimizer { get; init; } = new();

    /// <summary>Seeds the data order.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Throws naming the first invalid field.</summary>
    public void Validate()
    {
        if (BatchSize < 1)
        {
            throw new ArgumentException("SftOptions.BatchSize must be positive.", nameof(BatchSize));
        }

        if (MicroBatchSize < 1)
        {
            throw new ArgumentException("SftOptions.MicroBatchSize must be positive.", nameof(MicroBatchSize));
        }

        if (LearningRate <= 0)
        {
            throw new ArgumentException("SftOptions.LearningRate must be positive.", nameof(LearningRate));
        }

        if (TotalSteps < 1)
        {
            throw new ArgumentException("SftOptions.TotalSteps must be positive.", nameof(TotalSteps));
        }
    }
}
