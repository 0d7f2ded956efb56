namespace BeneficialRL.Learning.Generation;

/// <summary>One completion.</summary>
/// <param name="Text">Decoded text, cut before a stop sequence, without control tokens.</param>
/// <param name="TokenIds">Every generated id (including a final end-of-turn token).</param>
/// <param name="LogProbs">The model's log-probability (temperature 1) of each generated id.</param>
/// <param name="FinishReason">Why generation stopped.</param>
public sealed record GenerationResult(string Text, IReadOnlyList<int> TokenIds, IReadOnlyList<float> LogProbs, FinishReason FinishReason);
