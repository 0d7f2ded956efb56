namespace BeneficialRL.Learning.Serving;

/// <summary>One prompt to complete (and/or score) with <see cref="InferenceEngine"/>.</summary>
public sealed record InferenceRequest
{
    /// <summary>The prompt's token ids, exactly as the model sees them (no token is added).</summary>
    public required IReadOnlyList<int> PromptIds { get; init; }

    /// <summary>Most tokens generated per choice; 0 generates nothing (scoring the prompt with <see cref="Echo"/>).</summary>
    public int MaxNewTokens { get; init; } = 16;

    /// <summary>Softmax temperature; 0 is greedy.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Nucleus mass kept.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Texts that end a choice; the text is cut before them.</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>Choices generated for the prompt.</summary>
    public int N { get; init; } = 1;

    /// <summary>
    /// Seeds sampling: each choice draws from its own stream derived from the seed, so equal seeds give equal outputs
    /// whatever else shares the batch; null draws a fresh seed.
    /// </summary>
    public long? Seed { get; init; }

    /// <summary>Return the prompt's tokens (text and, with <see cref="TopLogProbs"/>, log-probabilities) before the completion.</summary>
    public bool Echo { get; init; }

    /// <summary>Null: no log-probabilities; otherwise return each token's log-probability and this many alternatives.</summary>
    public int? TopLogProbs { get; init; }
}
