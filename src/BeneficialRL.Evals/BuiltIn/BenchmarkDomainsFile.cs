using System.Text.Json.Serialization;

namespace BeneficialRL.Evals.BuiltIn;

/// <summary>The shape of <c>benchmark-domains.json</c>: entity banks per domain, names and identity pairs.</summary>
internal sealed record BenchmarkDomainsFile(
    [property: JsonPropertyName("_comment")] string? Comment,
    IReadOnlyList<string> Names,
    IReadOnlyList<IReadOnlyList<string>> IdentityPairs,
    IReadOnlyDictionary<string, BenchmarkDomain> Domains);
