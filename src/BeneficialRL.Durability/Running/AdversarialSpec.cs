namespace BeneficialRL.Durability.Running;

/// <summary>The adversarial prompting part of a persistence run.</summary>
public sealed record AdversarialSpec
{
    /// <summary>Whether to run it. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Benchmark ids to attack; empty = the default harmful-relevant multiple-choice subset.</summary>
    public IReadOnlyList<string> Benchmarks { get; init; } = [];

    /// <summary>Attack ids to apply; empty = every attack in the library.</summary>
    public IReadOnlyList<string> Attacks { get; init; } = [];

    /// <summary>Items per benchmark, spread over its domains. Default 16.</summary>
    public int MaxItemsPerBenchmark { get; init; } = 16;

    /// <summary>Samples per item for generated formats. Default 1.</summary>
    public int SamplesPerItem { get; init; } = 1;

    /// <summary>Token limit of generated answers. Default 64.</summary>
    public int MaxNewTokens { get; init; } = 64;
}
