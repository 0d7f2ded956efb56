using BeneficialRL.Analysis.Items;

namespace BeneficialRL.Durability.FineTuning;

/// <summary>Item scores after one dose.</summary>
/// <param name="InDomain">Scores on the fine-tuning domain's items.</param>
/// <param name="OutOfDomain">Scores on every other domain's items.</param>
/// <param name="WallSeconds">Evaluation time.</param>
public sealed record DoseEvaluation(IReadOnlyList<ItemScore> InDomain, IReadOnlyList<ItemScore> OutOfDomain, double WallSeconds);
