using System.Text.Json.Serialization;

namespace BeneficialRL.Benchmarks.BuiltIn;

/// <summary>The shape of <c>benchmark-domains.json</c>: entity banks per domain, names and identity pairs.</summary>
internal sealed record DomainBankFile(
    [property: JsonPropertyName("_comment")] string? Comment,
    IReadOnlyList<string> Names,
    IReadOnlyList<IReadOnlyList<string>> IdentityPairs,
    IReadOnlyDictionary<string, DomainBank> Domains);
