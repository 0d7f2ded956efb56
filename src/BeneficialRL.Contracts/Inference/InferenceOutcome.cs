namespace BeneficialRL.Contracts.Inference;

/// <summary>The results of an <see cref="InferenceJob"/>, or why the model refused it.</summary>
[GenerateSerializer, Immutable]
public sealed record InferenceOutcome
{
    /// <summary>Per prompt, in order; empty on error.</summary>
    [Id(0)] public InferencePromptResult[] Prompts { get; init; } = [];
    /// <summary>Set when the request does not fit the model.</summary>
    [Id(1)] public InferenceError? Error { get; init; }
}

/// <summary>The choices of one prompt.</summary>
[GenerateSerializer, Immutable]
public sealed record InferencePromptResult
{
    /// <summary>One per requested choice.</summary>
    [Id(0)] public required InferenceChoiceResult[] Choices { get; init; }
    /// <summary>Tokens in the prompt.</summary>
    [Id(1)] public required int PromptTokens { get; init; }
}

/// <summary>One choice.</summary>
[GenerateSerializer, Immutable]
public sealed record InferenceChoiceResult
{
    /// <summary>The text (after the echoed prompt when asked for).</summary>
    [Id(0)] public required string Text { get; init; }
    /// <summary><c>stop</c> or <c>length</c>.</summary>
    [Id(1)] public required string FinishReason { get; init; }
    /// <summary>Tokens generated.</summary>
    [Id(2)] public required int CompletionTokens { get; init; }
    /// <summary>Per token (echoed prompt tokens first), when log-probabilities were asked for.</summary>
    [Id(3)] public TokenLogProbEntry[]? LogProbs { get; init; }
}

/// <summary>A token, its log-probability (null for the first token of a sequence) and the top alternatives.</summary>
[GenerateSerializer, Immutable]
public sealed record TokenLogProbEntry
{
    /// <summary>The token's text.</summary>
    [Id(0)] public required string Token { get; init; }
    /// <summary>The token id.</summary>
    [Id(1)] public required int TokenId { get; init; }
    /// <summary>Log-probability given everything before it.</summary>
    [Id(2)] public float? LogProb { get; init; }
    /// <summary>The most likely tokens at its position.</summary>
    [Id(3)] public TokenCandidate[] Top { get; init; } = [];
}

/// <summary>An alternative token at a position.</summary>
/// <param name="Token">Its text.</param>
/// <param name="LogProb">Its log-probability.</param>
[GenerateSerializer, Immutable]
public sealed record TokenCandidate([property: Id(0)] string Token, [property: Id(1)] float LogProb);

/// <summary>Why a request does not fit the model, in OpenAI's terms.</summary>
/// <param name="Param">The request field at fault.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="Code">A machine-readable code, e.g. <c>context_length_exceeded</c>.</param>
[GenerateSerializer, Immutable]
public sealed record InferenceError([property: Id(0)] string Param, [property: Id(1)] string Message, [property: Id(2)] string? Code);

/// <summary>One element of a streamed completion.</summary>
[GenerateSerializer, Immutable]
public sealed record InferenceDelta
{
    /// <summary>The prompt.</summary>
    [Id(0)] public int Prompt { get; init; }
    /// <summary>The choice within the prompt.</summary>
    [Id(1)] public int Choice { get; init; }
    /// <summary>New text.</summary>
    [Id(2)] public string Text { get; init; } = string.Empty;
    /// <summary>Set on a choice's last delta.</summary>
    [Id(3)] public string? FinishReason { get; init; }
    /// <summary>Set on the stream's last delta: prompt tokens over all prompts.</summary>
    [Id(4)] public int? PromptTokens { get; init; }
    /// <summary>Set on the stream's last delta: generated tokens over all choices.</summary>
    [Id(5)] public int? CompletionTokens { get; init; }
    /// <summary>Set (alone) when the request does not fit the model.</summary>
    [Id(6)] public InferenceError? Error { get; init; }
    /// <summary>
    /// On a choice's last delta, when log-probabilities were asked for: every token of the choice (echoed prompt tokens
    /// first), as the non-streamed response gives them.
    /// </summary>
    [Id(7)] public TokenLogProbEntry[]? LogProbs { get; init; }
}
