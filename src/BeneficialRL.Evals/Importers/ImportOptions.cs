namespace BeneficialRL.Evals.Importers;

/// <summary>Identity given to an imported benchmark.</summary>
/// <param name="Id">Benchmark id.</param>
/// <param name="Name">Human-readable name.</param>
/// <param name="Family">Family (one of the built-in families, or any user family).</param>
/// <param name="Traits">Trait ids it bears on.</param>
/// <param name="Domain">Domain recorded on every item.</param>
public sealed record ImportOptions(string Id, string Name, string Family, IReadOnlyList<string> Traits, string Domain = "general")
{
    /// <summary>Content version recorded in the definition.</summary>
    public string Version { get; init; } = "1";
}
