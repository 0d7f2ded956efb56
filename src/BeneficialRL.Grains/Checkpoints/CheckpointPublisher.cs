using BeneficialRL.Contracts.Checkpoints;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Primitives.Hashing;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Grains.Experiments.Jobs;

/// <summary>
/// Makes a checkpoint the experiment produced a checkpoint resource: its weights and model description
/// stored beside the tar in <see cref="TenantBlobLayout.CheckpointFolder"/> (so benchmark and persistence runs can load it like an imported one) and a
/// checkpoint grain with lineage. Idempotent: a retried attempt writes the same bytes and registers the same hash.
/// </summary>
internal static class CheckpointPublisher
{
    public static Task<CheckpointInfo> PublishAsync(
        ExperimentJobContext context,
        Checkpoint checkpoint,
        string folderKey,
        string checkpointId,
        string displayName,
        string? parentId,
        string source,
        long? step,
        IReadOnlyDictionary<string, string> metadata,
        CancellationToken cancellationToken) =>
        PublishAsync(context.Sink, context.Grains, context.Tenant, context.ExperimentId, checkpoint, folderKey, checkpointId, displayName, parentId, source, step, metadata, cancellationToken);

    public static async Task<CheckpointInfo> PublishAsync(
        BlobArtifactSink sink,
        IGrainFactory grains,
        string tenant,
        string? experimentId,
        Checkpoint checkpoint,
        string folderKey,
        string checkpointId,
        string displayName,
        string? parentId,
        string source,
        long? step,
        IReadOnlyDictionary<string, string> metadata,
        CancellationToken cancellationToken)
    {
        using var weights = new MemoryStream();
        checkpoint.WriteWeights(weights);
        var sha256 = Sha256Hex.Of(weights.GetBuffer().AsSpan(0, (int)weights.Length));
        var bytes = weights.Length;
        weights.Position = 0;
        var weightsName = TenantBlobLayout.CheckpointWeights(folderKey);
        var metaName = TenantBlobLayout.CheckpointMetadata(folderKey);
        await sink.WriteAsync(weightsName, weights, "application/octet-stream", cancellationToken);
        using (var meta = new MemoryStream())
        {
            checkpoint.WriteMetadata(meta);
            meta.Position = 0;
            await sink.WriteAsync(metaName, meta, "application/json", cancellationToken);
        }

        return await grains.GetGrain<ICheckpointGrain>(ResourceKey.For(tenant, checkpointId)).RegisterAsync(new CheckpointRegistration
        {
            Name = displayName,
            ParentId = parentId,
            WeightsPath = sink.PathOf(weightsName),
            ModelMetadataPath = sink.PathOf(metaName),
            Sha256 = sha256,
            Bytes = bytes,
            Format = "safetensors",
            Source = source,
            ExperimentId = experimentId,
            Step = step,
            Metadata = new(metadata),
        });
    }
}
