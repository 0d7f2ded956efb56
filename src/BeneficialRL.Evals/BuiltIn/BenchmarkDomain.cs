namespace BeneficialRL.Evals.BuiltIn;

/// <summary>One domain's entity banks; every slot name maps to alternatives.</summary>
internal sealed record BenchmarkDomain(
    bool Taxonomy,
    IReadOnlyList<string> Role,
    IReadOnlyList<string> Colleague,
    IReadOnlyList<string> Work,
    IReadOnlyList<string> Place,
    IReadOnlyList<string> Metric,
    IReadOnlyList<string> Client,
    IReadOnlyList<string> Resource)
{
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Slots => new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["role"] = Role,
        ["colleague"] = Colleague,
        ["work"] = Work,
        ["place"] = Place,
        ["metric"] = Metric,
        ["client"] = Client,
        ["resource"] = Resource,
    };
}
