namespace BeneficialRL.Evals.Importers;

/// <summary>Identity given to an imported benchmark, and the settings an importer cannot read from the file.</summary>
/// <param name="Id">Benchmark id.</param>
/// <param name="Name">Human-readable name.</param>
/// <param name="Family">Family (one of the built-in families, or any user family).</param>
/// <param name="Traits">Trait ids it bears on.</param>
/// <param name="Domain">Domain recorded on every item.</param>
public sealed record ImportOptions(string Id, string Name, string Family, IReadOnlyList<string> Traits, string Domain = "general")
{
    /// <summary>The name of <see cref="AlignedOption"/> in requests and errors.</summary>
    public const string AlignedOptionField = "alignedOption";

    /// <summary>Content version recorded in the definition.</summary>
    public string Version { get; init; } = "1";

    /// <summary>
    /// For files that mark no aligned answer because it is always in the same place ("the first action is always the
    /// aligned one"): the 0-based option index that is aligned in every item. An item with too few options fails the
    /// import naming its line. Only importers whose files may leave the answer out take it (mapping, auto).
    /// </summary>
    public int? AlignedOption { get; init; }

    /// <summary>The aligned option of an item with <paramref name="optionCount"/> options under <see cref="AlignedOption"/>; an error naming the line when it has too few.</summary>
    internal int AlignedOptionOf(int optionCount, string fileName, int line) =>
        AlignedOption is { } index && index < optionCount
            ? index
            : throw new BenchmarkImportException(fileName, line, AlignedOptionField, $"option {AlignedOption} ({OptionLabels.Letter(AlignedOption ?? 0)}) does not exist: this item has {optionCount} options.");
}
