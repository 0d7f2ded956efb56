namespace BeneficialRL.Contracts.Inference;

/// <summary>One OpenAI-style completion request, parsed and checked for shape by the API.</summary>
[GenerateSerializer, Immutable]
public sealed record InferenceJob
{
    /// <summary>The prompts (a chat request has one, with messages).</summary>
    [Id(0)] public required InferencePrompt[] Prompts { get; init; }
    /// <summary>Most tokens generated per choice (0: echo only); null fills the model's context.</summary>
    [Id(1)] public int? MaxTokens { get; init; }
    /// <summary>Sampling temperature; 0 is greedy.</summary>
    [Id(2)] public double Temperature { get; init; } = 1.0;
    /// <summary>Nucleus mass.</summary>
    [Id(3)] public double TopP { get; init; } = 1.0;
    /// <summary>Stop sequences.</summary>
    [Id(4)] public string[] Stop { get; init; } = [];
    /// <summary>Choices per prompt.</summary>
    [Id(5)] public int N { get; init; } = 1;
    /// <summary>Sampling seed.</summary>
    [Id(6)] public long? Seed { get; init; }
    /// <summary>Return the prompt before the completion (completions only).</summary>
    [Id(7)] public bool Echo { get; init; }
    /// <summary>Null: no log-probabilities; otherwise how many alternatives per token.</summary>
    [Id(8)] public int? TopLogProbs { get; init; }
}

/// <summary>A prompt: plain text (a beginning-of-sequence token is prepended), token ids (used as given), or chat messages.</summary>
[GenerateSerializer, Immutable]
public sealed record InferencePrompt
{
    /// <summary>Plain text.</summary>
    [Id(0)] public string? Text { get; init; }
    /// <summary>Token ids, exactly as the model sees them.</summary>
    [Id(1)] public int[]? TokenIds { get; init; }
    /// <summary>A conversation whose next assistant turn is generated.</summary>
    [Id(2)] public InferenceMessage[]? Messages { get; init; }
}

/// <summary>One chat message.</summary>
/// <param name="Role"><c>system</c>, <c>user</c> or <c>assistant</c>.</param>
/// <param name="Content">Its text.</param>
[GenerateSerializer, Immutable]
public sealed record InferenceMessage([property: Id(0)] string Role, [property: Id(1)] string Content);
