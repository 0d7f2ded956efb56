using BeneficialRL.Analysis.Items;
using BeneficialRL.Durability.FineTuning;

namespace BeneficialRL.Durability.Running;

/// <summary>One rung of a subject's dose ladder.</summary>
/// <param name="Lineage">The rung checkpoint's lineage.</param>
/// <param name="MeanLoss">Mean SFT loss since the previous rung (NaN at dose 0).</param>
/// <param name="InDomainMeanPoints">Mean in-domain score, points.</param>
/// <param name="OutOfDomainMeanPoints">Mean out-of-domain score, points (NaN when there are no such items).</param>
/// <param name="InDomain">In-domain item scores.</param>
/// <param name="OutOfDomain">Out-of-domain item scores.</param>
public sealed record DoseRungResult(
    CheckpointLineage Lineage,
    double MeanLoss,
    double InDomainMeanPoints,
    double OutOfDomainMeanPoints,
    IReadOnlyList<ItemScore> InDomain,
    IReadOnlyList<ItemScore> OutOfDomain);
