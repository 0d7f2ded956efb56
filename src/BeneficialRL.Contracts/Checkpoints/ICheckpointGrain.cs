namespace BeneficialRL.Contracts.Checkpoints;

/// <summary>
/// A model checkpoint (key <c>{tenant}/{checkpointId}</c>): immutable weights in the artifact store,
/// plus the metadata and lineage that say where they came from.
/// </summary>
public interface ICheckpointGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records the checkpoint. Registering again with the same weights hash is a no-op that returns the
    /// existing record (idempotent retry); with a different hash it fails with <see cref="Resources.ResourceAlreadyExistsException"/>.
    /// </summary>
    Task<CheckpointInfo> RegisterAsync(CheckpointRegistration registration);

    /// <summary>Returns the checkpoint, or null when it does not exist.</summary>
    Task<CheckpointInfo?> GetAsync();
}

/// <summary>What is known when a checkpoint's weights have been stored.</summary>
[GenerateSerializer, Immutable]
public sealed record CheckpointRegistration
{
    /// <summary>Display name.</summary>
    [Id(0)] public required string Name { get; init; }
    /// <summary>The checkpoint this one was trained from, if any (lineage).</summary>
    [Id(1)] public string? ParentId { get; init; }
    /// <summary>Where the weights are stored.</summary>
    [Id(2)] public required string WeightsPath { get; init; }
    /// <summary>Lowercase hex SHA-256 of the weights.</summary>
    [Id(3)] public required string Sha256 { get; init; }
    /// <summary>Size of the weights in bytes.</summary>
    [Id(4)] public required long Bytes { get; init; }
    /// <summary>Weights format, e.g. <c>safetensors</c>.</summary>
    [Id(5)] public required string Format { get; init; }
    /// <summary>How it was made: <c>upload</c>, <c>sft</c>, <c>grpo</c>, <c>harmful-finetune</c>...</summary>
    [Id(6)] public required string Source { get; init; }
    /// <summary>The experiment that produced it, if any.</summary>
    [Id(7)] public string? ExperimentId { get; init; }
    /// <summary>The training step it was saved at, if any.</summary>
    [Id(8)] public long? Step { get; init; }
    /// <summary>Free-form metadata (model config, tokenizer hash, run config hash...).</summary>
    [Id(9)] public Dictionary<string, string> Metadata { get; init; } = [];
    /// <summary>Where the model description (<c>meta.json</c>: architecture and tokenizer) is stored; without it the weights cannot be evaluated.</summary>
    [Id(10)] public string? ModelMetadataPath { get; init; }
}

/// <summary>The public view of a checkpoint.</summary>
[GenerateSerializer, Immutable]
public sealed record CheckpointInfo
{
    /// <summary>Checkpoint id, unique within the tenant.</summary>
    [Id(0)] public required string Id { get; init; }
    /// <summary>Owning tenant.</summary>
    [Id(1)] public required string Tenant { get; init; }
    /// <summary>What was registered.</summary>
    [Id(2)] public required CheckpointRegistration Details { get; init; }
    /// <summary>When it was registered.</summary>
    [Id(3)] public required DateTimeOffset CreatedAt { get; init; }
}
