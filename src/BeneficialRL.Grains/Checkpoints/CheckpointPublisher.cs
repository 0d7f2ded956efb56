using BeneficialRL.Contracts.Checkpoints;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Experiments.Jobs;
using BeneficialRL.Grains.Experiments;

namespace BeneficialRL.Grains.Checkpoints;

/// <summary>
/// Makes checkpoint files a job stored (<see cref="CheckpointArtifacts.WriteWeightsAsync"/>) a checkpoint resource: a
/// checkpoint grain with lineage, pointing at the files' full blob paths, so benchmark and persistence runs can load it
/// like an imported one. Idempotent: a retried attempt registers the same hash.
/// </summary>
internal static class CheckpointPublisher
{
    public static Task<CheckpointInfo> PublishAsync(IGrainFactory grains, string tenant, BlobArtifactSink sink, string? experimentId, CheckpointPublication publication)
    {
        ArgumentNullException.ThrowIfNull(publication);
        return grains.GetGrain<ICheckpointGrain>(ResourceKey.For(tenant, publication.CheckpointId)).RegisterAsync(new CheckpointRegistration
        {
            Name = publication.DisplayName,
            ParentId = publication.ParentId,
            WeightsPath = sink.PathOf(publication.Files.WeightsName),
            ModelMetadataPath = sink.PathOf(publication.Files.MetadataName),
            Sha256 = publication.Files.Sha256,
            Bytes = publication.Files.Bytes,
            Format = "safetensors",
            Source = publication.Source,
            ExperimentId = experimentId,
            Step = publication.Step,
            Metadata = new(publication.Metadata),
        });
    }
}
