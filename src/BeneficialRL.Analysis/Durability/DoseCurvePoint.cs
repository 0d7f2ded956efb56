namespace BeneficialRL.Analysis.Durability;

/// <summary>The mean score at one dose.</summary>
/// <param name="Dose">The dose.</param>
/// <param name="MeanScore">Mean score of the paired items at that dose (score units).</param>
public sealed record DoseCurvePoint(double Dose, double MeanScore);
