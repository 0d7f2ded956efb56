namespace BeneficialRL.Scenarios.Taxonomy;

/// <summary>One of the paper's beneficial traits.</summary>
/// <param name="Id">Kebab-case id used in scenario files, e.g. <c>truthfulness</c>.</param>
/// <param name="Name">Display name.</param>
/// <param name="Definition">What the trait means in one or two sentences.</param>
/// <param name="HeldOut">True for the 7 traits held out for direct evaluation.</param>
public sealed record TraitDefinition(string Id, string Name, string Definition, bool HeldOut);
