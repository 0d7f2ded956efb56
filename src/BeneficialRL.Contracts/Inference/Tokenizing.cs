namespace BeneficialRL.Contracts.Inference;

/// <summary>Text or a conversation to tokenize.</summary>
[GenerateSerializer, Immutable]
public sealed record TokenizeJob
{
    /// <summary>Plain text.</summary>
    [Id(0)] public string? Text { get; init; }
    /// <summary>A conversation, rendered with the chat template (with the assistant header).</summary>
    [Id(1)] public InferenceMessage[]? Messages { get; init; }
    /// <summary>Prepend the beginning-of-sequence token to plain text.</summary>
    [Id(2)] public bool AddSpecialTokens { get; init; }
}

/// <summary>Token ids, with the model's context length.</summary>
[GenerateSerializer, Immutable]
public sealed record TokenizeOutcome
{
    /// <summary>The ids.</summary>
    [Id(0)] public int[] Tokens { get; init; } = [];
    /// <summary>The model's maximum sequence length.</summary>
    [Id(1)] public int MaxModelLength { get; init; }
    /// <summary>Set when the input does not fit.</summary>
    [Id(2)] public InferenceError? Error { get; init; }
}

/// <summary>Text of token ids.</summary>
[GenerateSerializer, Immutable]
public sealed record DetokenizeOutcome
{
    /// <summary>The text.</summary>
    [Id(0)] public string Text { get; init; } = string.Empty;
    /// <summary>Set when an id is outside the vocabulary.</summary>
    [Id(1)] public InferenceError? Error { get; init; }
}

/// <summary>What a harness needs to know about the tokenizer.</summary>
[GenerateSerializer, Immutable]
public sealed record TokenizerSummary
{
    /// <summary>The beginning-of-sequence token's name.</summary>
    [Id(0)] public required string BosToken { get; init; }
    /// <summary>The end-of-turn token's name.</summary>
    [Id(1)] public required string EosToken { get; init; }
    /// <summary>The padding token's name.</summary>
    [Id(2)] public required string PadToken { get; init; }
    /// <summary>The chat template as Jinja (Hugging Face convention).</summary>
    [Id(3)] public required string ChatTemplate { get; init; }
    /// <summary>The model's maximum sequence length.</summary>
    [Id(4)] public required int MaxModelLength { get; init; }
    /// <summary>Number of token ids.</summary>
    [Id(5)] public required int VocabularySize { get; init; }
    /// <summary>The tokenizer's kind (<c>o200k-compact</c>, <c>huggingface</c>).</summary>
    [Id(6)] public required string Kind { get; init; }
    /// <summary>Token ids of bos and eos.</summary>
    [Id(7)] public required int BosTokenId { get; init; }
    /// <summary>The end-of-turn token id.</summary>
    [Id(8)] public required int EosTokenId { get; init; }
}
