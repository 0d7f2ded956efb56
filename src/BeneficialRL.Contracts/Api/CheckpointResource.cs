namespace BeneficialRL.Contracts.Api;

/// <summary>A checkpoint as the API shows it; <see cref="Weights"/> links its safetensors download.</summary>
public sealed record CheckpointResource(
    string Id, string Name, string? ParentId, string Sha256, long Bytes, string Format, string Source,
    string? ExperimentId, long? Step, IReadOnlyDictionary<string, string> Metadata, DateTimeOffset CreatedAt, string Weights, bool Evaluable);
