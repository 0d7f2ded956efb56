namespace BeneficialRL.Scenarios.Contamination;

/// <summary>Parameters of the contamination check.</summary>
public sealed record ContaminationOptions
{
    /// <summary>Word n-gram length for exact overlap; 13 is the usual contamination standard.</summary>
    public int NGram { get; init; } = 13;

    /// <summary>Word shingle length for near-duplicate detection.</summary>
    public int ShingleSize { get; init; } = 5;

    /// <summary>MinHash signature length (must be divisible by <see cref="Bands"/>).</summary>
    public int MinHashPermutations { get; init; } = 64;

    /// <summary>LSH bands; more bands find lower-similarity pairs at more cost.</summary>
    public int Bands { get; init; } = 16;

    /// <summary>Shingle Jaccard similarity at or above which two items are near-duplicates.</summary>
    public double NearDuplicateThreshold { get; init; } = 0.7;

    /// <summary>How many worst offenders the report lists.</summary>
    public int WorstOffenders { get; init; } = 20;
}
