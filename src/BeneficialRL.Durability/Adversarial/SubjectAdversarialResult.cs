using BeneficialRL.Analysis.Items;
using BeneficialRL.Analysis.Durability;
using BeneficialRL.Durability.Attacks;

namespace BeneficialRL.Durability.Adversarial;

/// <summary>One subject (checkpoint) under every attack: clean score, attacked scores and degradations, and the raw item scores.</summary>
/// <param name="Subject">The subject's name.</param>
/// <param name="CleanMeanPoints">Mean clean score over every item evaluated, points.</param>
/// <param name="Attacks">Per attack, in library order.</param>
/// <param name="Kinds">Per attack kind present (harmful personas, helpful personas, transforms).</param>
/// <param name="Scores">Per benchmark × condition item scores (clean first), for comparisons and drill-down.</param>
/// <param name="WallSeconds">Time taken.</param>
public sealed record SubjectAdversarialResult(
    string Subject,
    double CleanMeanPoints,
    IReadOnlyList<AttackOutcome> Attacks,
    IReadOnlyList<KindOutcome> Kinds,
    IReadOnlyList<ConditionScores> Scores,
    double WallSeconds)
{
    /// <summary>Clean and attacked item scores of one attack, paired by (benchmark, item).</summary>
    public PersistenceArm ArmFor(string attackId) => ArmFor([attackId]);

    /// <summary>
    /// Clean and attacked item scores of several attacks pooled: each attack's items get the attack id as an item-id
    /// prefix, so every attack × item is its own pair.
    /// </summary>
    public PersistenceArm ArmFor(IReadOnlyCollection<string> attackIds)
    {
        ArgumentNullException.ThrowIfNull(attackIds);
        var clean = Scores.Where(s => s.Condition == ConditionScores.Clean).ToList();
        var attacked = Scores.Where(s => attackIds.Contains(s.Condition)).ToList();
        return new PersistenceArm(
            [.. attackIds.SelectMany(a => clean.SelectMany(c => c.Items.Select(i => Prefixed(i, a))))],
            [.. attacked.SelectMany(s => s.Items.Select(i => Prefixed(i, s.Condition)))]);
    }

    /// <summary>The pooled arm of every attack of <paramref name="kind"/>.</summary>
    public PersistenceArm ArmFor(AttackKind kind) => ArmFor([.. Attacks.Where(a => a.Kind == kind).Select(a => a.AttackId)]);

    private static ItemScore Prefixed(ItemScore item, string attackId) => item with { ItemId = attackId + "|" + item.ItemId };
}
