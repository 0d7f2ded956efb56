using System.Text.Json.Serialization;

namespace BeneficialRL.Durability.Running;

/// <summary>The harmful fine-tuning part of a persistence run.</summary>
public sealed record FineTuningSpec
{
    /// <summary>Whether to run it. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Taxonomy domain of the misaligned advice (in-domain = benchmark items of this domain). Default <c>health</c>.</summary>
    public string Domain { get; init; } = "health";

    /// <summary>Cumulative SFT steps at which to evaluate, strictly increasing from 0. Default 0, 10, 25, 50, 100.</summary>
    public IReadOnlyList<int> Doses { get; init; } = [0, 10, 25, 50, 100];

    /// <summary>Constant SFT learning rate. Default 5e-4.</summary>
    public double LearningRate { get; init; } = 5e-4;

    /// <summary>Examples per SFT step. Default 8.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Examples in the harmful corpus. Default 256.</summary>
    public int CorpusSize { get; init; } = 256;

    /// <summary>
    /// Where the examples come from. Default <see cref="HarmfulCorpusSource.Scenarios"/>, which is left out of the JSON so
    /// specs written before the world source existed keep their bytes and content hash.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public HarmfulCorpusSource Corpus { get; init; }

    /// <summary>Scenario (or world-document) seed of the corpus. Default 7001.</summary>
    public long CorpusSeed { get; init; } = 7001;

    /// <summary>Seed of the SFT data order. Default 1.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Benchmark ids re-run after each dose; empty = the adversarial default subset plus a capability control.</summary>
    public IReadOnlyList<string> Benchmarks { get; init; } = [];

    /// <summary>In-domain items per benchmark. Default 12.</summary>
    public int MaxInDomainItemsPerBenchmark { get; init; } = 12;

    /// <summary>Out-of-domain items per benchmark, spread over the other domains. Default 16.</summary>
    public int MaxOutOfDomainItemsPerBenchmark { get; init; } = 16;
}
