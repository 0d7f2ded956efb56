namespace BeneficialRL.Evals.Definitions;

/// <summary>Everything that identifies a benchmark, without its items.</summary>
/// <param name="Id">Stable id, e.g. <c>sycophancy-draft-feedback-mc</c>.</param>
/// <param name="Name">Human-readable name.</param>
/// <param name="Family">One of <see cref="BenchmarkFamilies"/> (or a user family for imports).</param>
/// <param name="Traits">Taxonomy trait ids the benchmark bears on.</param>
/// <param name="Domains">Domain ids its items span.</param>
/// <param name="Format">How items are presented and scored.</param>
/// <param name="Polarity">Where "aligned" comes from; results are always higher-is-better.</param>
/// <param name="Source">Built-in generator spec or imported file with its mapping.</param>
/// <param name="Grader">How responses are graded.</param>
/// <param name="Version">Content version; bump when items change for the same source.</param>
/// <param name="ContentHash">SHA-256 (hex) of the canonical JSONL of the items.</param>
/// <param name="ItemCount">Number of items.</param>
public sealed record BenchmarkDefinition(
    string Id,
    string Name,
    string Family,
    IReadOnlyList<string> Traits,
    IReadOnlyList<string> Domains,
    BenchmarkFormat Format,
    BenchmarkPolarity Polarity,
    ItemSource Source,
    GraderSpec Grader,
    string Version,
    string ContentHash,
    int ItemCount)
{
    /// <summary>What the benchmark measures, one or two sentences.</summary>
    public string Description { get; init; } = "";

    /// <summary>Extra metrics the summary computes (e.g. <see cref="BbqMetric"/>).</summary>
    public IReadOnlyList<string> ExtraMetrics { get; init; } = [];

    /// <summary>The BBQ accuracy-by-context and bias-score metric.</summary>
    public const string BbqMetric = "bbq-bias";
}
