using BeneficialRL.Analysis.Items;

namespace BeneficialRL.Analysis.Durability;

/// <summary>One arm's item scores before ("clean") and after an attack or further training ("attacked").</summary>
/// <param name="Clean">Scores of the unattacked checkpoint.</param>
/// <param name="Attacked">Scores of the same items after the attack; paired with <paramref name="Clean"/> by (benchmark, item id).</param>
public sealed record PersistenceArm(IEnumerable<ItemScore> Clean, IEnumerable<ItemScore> Attacked);
