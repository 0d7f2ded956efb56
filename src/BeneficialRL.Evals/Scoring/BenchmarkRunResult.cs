namespace BeneficialRL.Evals.Scoring;

/// <summary>A finished benchmark run: the summary and the per-item results.</summary>
/// <param name="Summary">Mean, standard error, n and extra metrics.</param>
/// <param name="Items">Per-item results, in item order.</param>
public sealed record BenchmarkRunResult(BenchmarkScoreSummary Summary, IReadOnlyList<BenchmarkItemResult> Items);
