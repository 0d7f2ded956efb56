namespace BeneficialRL.Analysis.Items;

/// <summary>
/// One graded answer of one arm on one benchmark item. Polarity is already applied: a higher
/// <see cref="Score"/> is always better (for fractions, 1 = best).
/// </summary>
/// <param name="BenchmarkId">The benchmark (or held-out trait) the item belongs to.</param>
/// <param name="ItemId">The item's id, stable across arms, seeds and checkpoints so answers can be paired.</param>
/// <param name="Score">The graded score, higher is better; must be finite.</param>
/// <param name="Refused">Whether the answer was classified as a refusal; <c>null</c> when not classified.</param>
/// <param name="Domain">The evaluation domain of the item (e.g. <c>health</c>), when tagged.</param>
/// <param name="Replicate">The training seed (or other replicate) that produced the answer; replicates of an item are averaged.</param>
public sealed record ItemScore(
    string BenchmarkId,
    string ItemId,
    double Score,
    bool? Refused = null,
    string? Domain = null,
    int Replicate = 0);
