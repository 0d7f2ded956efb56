using BeneficialRL.Contracts.Checkpoints;
using BeneficialRL.Contracts.Resources;

namespace BeneficialRL.SiloHost.Apis;

/// <summary>
/// Whether a checkpoint can be loaded as a policy (weights plus its meta.json). Every route that queues work on a
/// checkpoint (benchmark runs, suite runs, persistence runs) asks this first, so a checkpoint that cannot be evaluated
/// is refused at once with 409 instead of queuing a run that can only fail on a trainer.
/// </summary>
public static class EvaluableCheckpoints
{
    /// <summary>What a lookup found.</summary>
    public enum Verdict
    {
        /// <summary>The checkpoint exists and has a model description.</summary>
        Evaluable,

        /// <summary>No such checkpoint for this tenant (or the id is not valid).</summary>
        Absent,

        /// <summary>The checkpoint holds weights only.</summary>
        WeightsOnly,
    }

    /// <summary>The verdict on <paramref name="checkpointId"/>, with the sentence to show when it is <see cref="Verdict.WeightsOnly"/>.</summary>
    public static async Task<(Verdict Verdict, string? Reason)> CheckAsync(IGrainFactory grains, string tenant, string? checkpointId, string purpose)
    {
        if (!ResourceKey.IsValidId(checkpointId) || await grains.GetGrain<ICheckpointGrain>(ResourceKey.For(tenant, checkpointId!)).GetAsync() is not { } checkpoint)
            return (Verdict.Absent, null);
        return checkpoint.Details.ModelMetadataPath is null
            ? (Verdict.WeightsOnly, $"Checkpoint '{checkpointId}' has weights but no model description (meta.json), so it cannot be {purpose}. Import it with its meta.json.")
            : (Verdict.Evaluable, null);
    }
}
