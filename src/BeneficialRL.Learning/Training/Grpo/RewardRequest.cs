namespace BeneficialRL.Learning.Training.Grpo;

/// <summary>One completion to be rewarded.</summary>
/// <param name="Prompt">The prompt it answers.</param>
/// <param name="SampleIndex">Index within the prompt's group (0 … G-1).</param>
/// <param name="Completion">Decoded completion text.</param>
/// <param name="CompletionTokenIds">Generated ids.</param>
/// <param name="Truncated">Whether generation hit the token budget rather than ending its turn.</param>
public sealed record RewardRequest(GrpoPrompt Prompt, int SampleIndex, string Completion, IReadOnlyList<int> CompletionTokenIds, bool Truncated);
