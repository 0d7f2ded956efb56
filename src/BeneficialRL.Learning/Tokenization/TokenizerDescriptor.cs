using System.Text.Json.Serialization;

namespace BeneficialRL.Learning.Tokenization;

/// <summary>
/// Everything needed to rebuild a tokenizer, stored in a checkpoint's <c>meta.json</c>: for the
/// built-in model the o200k ids kept (compact id = index), for an imported model its tokenizer.json.
/// </summary>
public sealed record TokenizerDescriptor
{
    /// <summary><c>o200k-compact</c> or <c>huggingface</c>.</summary>
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    /// <summary>For <c>o200k-compact</c>: the o200k id behind each compact id, in order.</summary>
    [JsonPropertyName("o200kIds")]
    public IReadOnlyList<int>? O200kIds { get; init; }

    /// <summary>For <c>huggingface</c>: the full tokenizer.json text.</summary>
    [JsonPropertyName("tokenizerJson")]
    public string? TokenizerJson { get; init; }

    /// <summary>For <c>huggingface</c>: beginning-of-sequence id from config.json, when the tokenizer does not name one.</summary>
    [JsonPropertyName("bosId")]
    public int? BosId { get; init; }

    /// <summary>For <c>huggingface</c>: end-of-sequence id from config.json.</summary>
    [JsonPropertyName("eosId")]
    public int? EosId { get; init; }
}
