using System.Text.Json.Serialization;
using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Tokenization;

namespace BeneficialRL.Learning.Checkpoints;

/// <summary>The <c>meta.json</c> beside <c>model.safetensors</c>: architecture, tokenizer map and trainer position.</summary>
public sealed record CheckpointMetadata
{
    /// <summary>The format tag this code writes.</summary>
    public const string CurrentFormat = "beneficialrl-checkpoint/1";

    /// <summary>Format tag; loading rejects unknown ones.</summary>
    [JsonPropertyName("format")]
    public string Format { get; init; } = CurrentFormat;

    /// <summary>Network shape.</summary>
    [JsonPropertyName("config")]
    public required TransformerConfig Config { get; init; }

    /// <summary>How to rebuild the tokenizer.</summary>
    [JsonPropertyName("tokenizer")]
    public required TokenizerDescriptor Tokenizer { get; init; }

    /// <summary>Trainer kind when trainer state is present (<c>sft</c>, <c>grpo</c>).</summary>
    [JsonPropertyName("trainerKind")]
    public string? TrainerKind { get; init; }

    /// <summary>Optimizer updates completed by the trainer.</summary>
    [JsonPropertyName("step")]
    public long? Step { get; init; }

    /// <summary>AdamW's step count.</summary>
    [JsonPropertyName("optimizerStep")]
    public long? OptimizerStep { get; init; }

    /// <summary>The trainer's random-generator state words.</summary>
    [JsonPropertyName("randomState")]
    public IReadOnlyList<ulong>? RandomState { get; init; }

    /// <summary>Free-form labels (run id, arm, seed, content hash...).</summary>
    [JsonPropertyName("labels")]
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
