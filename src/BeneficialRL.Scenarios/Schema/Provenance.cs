namespace BeneficialRL.Scenarios.Schema;

/// <summary>Where a scenario came from, so any item can be regenerated or traced.</summary>
/// <param name="Generator">Generator name, e.g. <c>builtin</c> or a user's tool.</param>
/// <param name="GeneratorVersion">Generator version; a change means different output for the same seed.</param>
/// <param name="Seed">The generation seed.</param>
/// <param name="Template">The template id the item was built from, when known.</param>
public sealed record Provenance(string Generator, string GeneratorVersion, long Seed, string? Template = null);
