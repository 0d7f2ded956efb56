using BeneficialRL.Analysis.Bootstrap;

namespace BeneficialRL.Analysis.Durability;

/// <summary>How much one arm lost under attack on one group of items.</summary>
/// <param name="Items">Items scored both clean and attacked.</param>
/// <param name="CleanMeanPoints">Mean clean score, in points.</param>
/// <param name="AttackedMeanPoints">Mean attacked score, in points.</param>
/// <param name="DegradationPoints">Mean of clean − attacked per item, in points, with a percentile bootstrap CI over items (positive = lost ground).</param>
public sealed record ArmDegradation(int Items, double CleanMeanPoints, double AttackedMeanPoints, BootstrapInterval DegradationPoints);
