using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Primitives.Hashing;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Experiments.Jobs;

/// <summary>
/// The files of a checkpoint in <see cref="TenantBlobLayout.CheckpointFolder"/>: the tar the engine resumes from
/// (weights and trainer state) and, for a checkpoint resource, its safetensors weights and model description beside it
/// (what benchmark runs, persistence runs and the inference routes load). All three are write-once: a retried attempt
/// writes the same bytes.
/// </summary>
public static class CheckpointArtifacts
{
    /// <summary>Serialises a checkpoint (with its trainer state) to tar bytes.</summary>
    public static async Task<byte[]> ToTarAsync(Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        using var buffer = new MemoryStream();
        await checkpoint.SaveAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>Writes the tar of <paramref name="checkpoint"/> in folder <paramref name="folderKey"/>.</summary>
    public static async Task WriteArchiveAsync(IArtifactSink sink, Checkpoint checkpoint, string folderKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        await sink.WriteBytesAsync(TenantBlobLayout.CheckpointArchive(folderKey), await ToTarAsync(checkpoint, cancellationToken).ConfigureAwait(false), "application/x-tar", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the weights and model description of <paramref name="checkpoint"/> in folder <paramref name="folderKey"/>.</summary>
    public static async Task<CheckpointFiles> WriteWeightsAsync(IArtifactSink sink, Checkpoint checkpoint, string folderKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(checkpoint);
        using var weights = new MemoryStream();
        checkpoint.WriteWeights(weights);
        var sha256 = Sha256Hex.Of(weights.GetBuffer().AsSpan(0, (int)weights.Length));
        var bytes = weights.Length;
        weights.Position = 0;
        var weightsName = TenantBlobLayout.CheckpointWeights(folderKey);
        var metadataName = TenantBlobLayout.CheckpointMetadata(folderKey);
        await sink.WriteAsync(weightsName, weights, "application/octet-stream", cancellationToken).ConfigureAwait(false);
        using (var metadata = new MemoryStream())
        {
            checkpoint.WriteMetadata(metadata);
            metadata.Position = 0;
            await sink.WriteAsync(metadataName, metadata, "application/json", cancellationToken).ConfigureAwait(false);
        }

        return new CheckpointFiles(weightsName, metadataName, sha256, bytes);
    }
}

/// <summary>A checkpoint resource's stored files (artifact names) and the weights' content hash.</summary>
public sealed record CheckpointFiles(string WeightsName, string MetadataName, string Sha256, long Bytes);

/// <summary>A checkpoint to register as a resource: its id, lineage, origin and files.</summary>
/// <param name="CheckpointId">Resource id (<see cref="CheckpointIds"/>).</param>
/// <param name="DisplayName">Shown in listings.</param>
/// <param name="ParentId">The checkpoint it was trained from, or null for a root.</param>
/// <param name="Source">How it was made: <c>sft</c>, <c>grpo</c>, <c>harmful-finetune</c>.</param>
/// <param name="Step">Training step (or dose) it was saved at.</param>
/// <param name="Metadata">Labels (arm, seed, ...).</param>
/// <param name="Files">Its stored weights and description.</param>
public sealed record CheckpointPublication(
    string CheckpointId,
    string DisplayName,
    string? ParentId,
    string Source,
    long? Step,
    IReadOnlyDictionary<string, string> Metadata,
    CheckpointFiles Files);
