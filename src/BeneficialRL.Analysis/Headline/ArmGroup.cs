namespace BeneficialRL.Analysis.Headline;

/// <summary>The item scores of both arms for one named group (benchmark, trait or transfer cell).</summary>
/// <param name="Name">The group's name; also seeds its bootstrap.</param>
/// <param name="Treatment">Treatment item scores.</param>
/// <param name="Baseline">Baseline item scores.</param>
internal sealed record ArmGroup(string Name, double[] Treatment, double[] Baseline);
