namespace BeneficialRL.Analysis.Refusals;

/// <summary>How often one arm refused, over the answers that were classified.</summary>
/// <param name="Arm">The arm.</param>
/// <param name="Classified">Answers with a refusal label (all seeds).</param>
/// <param name="Refused">Of those, refusals.</param>
/// <param name="Rate">Refused / classified (NaN when nothing was classified).</param>
/// <param name="PerSeed">The same per seed index, ordered by it: the seed spread of the rate.</param>
public sealed record ArmRefusalRate(string Arm, int Classified, int Refused, double Rate, IReadOnlyList<SeedRefusalRate> PerSeed);

/// <summary>Refusals of one run (arm × seed index).</summary>
/// <param name="Replicate">The seed index.</param>
/// <param name="Classified">Answers with a refusal label.</param>
/// <param name="Refused">Of those, refusals.</param>
/// <param name="Rate">Refused / classified (NaN when nothing was classified).</param>
public sealed record SeedRefusalRate(int Replicate, int Classified, int Refused, double Rate);
