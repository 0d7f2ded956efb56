using BeneficialRL.Analysis.Items;

namespace BeneficialRL.Analysis.Durability;

/// <summary>One rung of a dose ladder: item scores after <paramref name="Dose"/> steps of attack (0 = clean).</summary>
/// <param name="Dose">The dose, e.g. fine-tuning steps on harmful data; non-negative.</param>
/// <param name="Scores">Scores of the items at this dose; items are paired across rungs by (benchmark, item id).</param>
public sealed record DoseLevel(double Dose, IEnumerable<ItemScore> Scores);
