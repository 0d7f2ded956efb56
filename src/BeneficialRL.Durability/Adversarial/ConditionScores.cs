using BeneficialRL.Analysis.Items;

namespace BeneficialRL.Durability.Adversarial;

/// <summary>Per-item scores of one benchmark under one condition (clean, or one attack).</summary>
/// <param name="BenchmarkId">The benchmark.</param>
/// <param name="Family">Its family.</param>
/// <param name="Condition"><see cref="Clean"/> or an attack id.</param>
/// <param name="Items">Item scores in [0, 1], higher is better.</param>
public sealed record ConditionScores(string BenchmarkId, string Family, string Condition, IReadOnlyList<ItemScore> Items)
{
    /// <summary>The condition name of unattacked prompts.</summary>
    public const string Clean = "clean";
}
