namespace BeneficialRL.Analysis.Checkpoints;

/// <summary>One benchmark's aggregate score at one checkpoint (e.g. its mean item score).</summary>
/// <param name="CheckpointId">The checkpoint (e.g. <c>treatment/step-400</c>).</param>
/// <param name="BenchmarkId">The benchmark.</param>
/// <param name="Score">The score, finite.</param>
public sealed record CheckpointScore(string CheckpointId, string BenchmarkId, double Score);
