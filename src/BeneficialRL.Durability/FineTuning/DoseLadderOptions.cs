namespace BeneficialRL.Durability.FineTuning;

/// <summary>The harmful fine-tuning dose ladder.</summary>
public sealed record DoseLadderOptions
{
    /// <summary>Cumulative SFT steps at which the model is evaluated, strictly increasing from 0. Default 0, 10, 25, 50, 100.</summary>
    public IReadOnlyList<int> Doses { get; init; } = [0, 10, 25, 50, 100];

    /// <summary>Constant SFT learning rate (no warmup, no decay, so every step is the same strength). Default 5e-4.</summary>
    public double LearningRate { get; init; } = 5e-4;

    /// <summary>Examples per SFT step. Default 8.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Seeds the data order. Default 1.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Throws naming the first invalid field.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Doses);
        if (Doses.Count < 2 || Doses[0] != 0)
        {
            throw new ArgumentException($"Doses must start at 0 and have at least two rungs (got [{string.Join(", ", Doses)}]).", nameof(Doses));
        }

        for (var k = 1; k < Doses.Count; k++)
        {
            if (Doses[k] <= Doses[k - 1])
            {
                throw new ArgumentException($"Doses must increase strictly: doses[{k}] = {Doses[k]} follows {Doses[k - 1]}.", nameof(Doses));
            }
        }

        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
        {
            throw new ArgumentException($"LearningRate must be a positive finite number (got {LearningRate}).", nameof(LearningRate));
        }

        if (BatchSize < 1)
        {
            throw new ArgumentException($"BatchSize must be positive (got {BatchSize}).", nameof(BatchSize));
        }
    }
}
