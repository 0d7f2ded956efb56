namespace BeneficialRL.Evals.Scoring;

/// <summary>How a benchmark is run.</summary>
public sealed record BenchmarkRunOptions
{
    /// <summary>Items per batch handed to the model (progress is reported per batch).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>k: samples per prompt for generated formats.</summary>
    public int SamplesPerItem { get; init; } = 2;

    /// <summary>Sampling settings.</summary>
    public GenerationSettings Generation { get; init; } = new();

    /// <summary>At most this many items (the first ones), or all when null: for quick runs.</summary>
    public int? MaxItems { get; init; }
}
