namespace BeneficialRL.Client;

/// <summary>
/// A benchmark file to import with <c>POST /api/v1/benchmarks</c> (multipart form). <see cref="Importer"/> is one of
/// anthropic-evals, anthropic-sycophancy, truthfulqa-csv, truthfulqa-mc1, truthfulqa-mc2, bbq, winogenerated, mapping or auto.
/// </summary>
/// <param name="FileName">The file's name as uploaded (the anthropic-evals importer reads the polarity from it).</param>
/// <param name="Content">The file's bytes.</param>
/// <param name="Importer">The importer that reads the file.</param>
/// <param name="Id">The benchmark's id in the tenant.</param>
/// <param name="Name">Display name.</param>
/// <param name="Family">Family, e.g. <c>sycophancy</c>.</param>
public sealed record BenchmarkImport(string FileName, ReadOnlyMemory<byte> Content, string Importer, string Id, string Name, string Family)
{
    /// <summary>Taxonomy trait ids the benchmark bears on.</summary>
    public IReadOnlyList<string> Traits { get; init; } = [];

    /// <summary>Domain id; the API's default is <c>general</c>.</summary>
    public string? Domain { get; init; }

    /// <summary><c>matching-is-aligned</c> or <c>not-matching-is-aligned</c> when the anthropic-evals importer cannot tell; <c>no-aligned-answer</c> (mapping, auto) for dilemmas scored by consistency.</summary>
    public string? Polarity { get; init; }

    /// <summary>The JSON column-mapping spec of the <c>mapping</c> importer.</summary>
    public string? Mapping { get; init; }

    /// <summary>mapping, auto: the option (index <c>0</c> or letter <c>A</c>) aligned in every item, for files that mark none.</summary>
    public string? AlignedOption { get; init; }
}
