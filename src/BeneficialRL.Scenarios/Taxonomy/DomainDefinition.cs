namespace BeneficialRL.Scenarios.Taxonomy;

/// <summary>One of the paper's 12 domains.</summary>
/// <param name="Id">Kebab-case id used in scenario files, e.g. <c>health</c>.</param>
/// <param name="Name">Display name.</param>
/// <param name="Description">What falls in the domain.</param>
public sealed record DomainDefinition(string Id, string Name, string Description);
