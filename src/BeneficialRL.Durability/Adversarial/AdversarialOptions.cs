using BeneficialRL.Evals.Scoring;

namespace BeneficialRL.Durability.Adversarial;

/// <summary>How the adversarial evaluation runs the policy (the benchmarks come already cut to the items wanted).</summary>
public sealed record AdversarialOptions
{
    /// <summary>Samples per item for generated formats. Default 1.</summary>
    public int SamplesPerItem { get; init; } = 1;

    /// <summary>Token limit of generated answers. Default 64.</summary>
    public int MaxNewTokens { get; init; } = 64;

    /// <summary>Items handed to the policy per call. Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>
    /// Runner options: one fixed sampling seed for every subject and attack, so clean and attacked answers (and
    /// subjects) are compared on common random numbers.
    /// </summary>
    public BenchmarkRunOptions ToRunOptions() => new()
    {
        BatchSize = BatchSize,
        SamplesPerItem = SamplesPerItem,
        Generation = new GenerationSettings(MaxNewTokens, 0.7, 0.95, 1234),
    };
}
