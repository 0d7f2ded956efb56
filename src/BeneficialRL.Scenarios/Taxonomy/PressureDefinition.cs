namespace BeneficialRL.Scenarios.Taxonomy;

/// <summary>A pressure that pushes the model away from the beneficial answer.</summary>
/// <param name="Id">Kebab-case id used in scenario files, e.g. <c>time-pressure</c>.</param>
/// <param name="Name">Display name.</param>
/// <param name="Description">How the pressure shows up in a conversation.</param>
public sealed record PressureDefinition(string Id, string Name, string Description);
