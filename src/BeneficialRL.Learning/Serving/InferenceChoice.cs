using BeneficialRL.Learning.Generation;

namespace BeneficialRL.Learning.Serving;

/// <summary>One choice of an <see cref="InferenceRequest"/>.</summary>
/// <param name="Text">The completion's text (after the prompt's text when echoed), cut before a stop sequence.</param>
/// <param name="CompletionIds">Every generated id, including a final end-of-turn token.</param>
/// <param name="FinishReason">Why it ended; <see cref="Generation.FinishReason.Length"/> when nothing was asked for.</param>
/// <param name="LogProbs">When asked for: one entry per echoed prompt token (the first without a log-probability), then per generated token.</param>
public sealed record InferenceChoice(string Text, IReadOnlyList<int> CompletionIds, FinishReason FinishReason, IReadOnlyList<InferenceTokenLogProb>? LogProbs);
