using BeneficialRL.Evals.Scoring;

namespace BeneficialRL.Experiments.Evaluation;

/// <summary>One benchmark's results for one checkpoint.</summary>
/// <param name="BenchmarkId">Benchmark id.</param>
/// <param name="Family">Benchmark family.</param>
/// <param name="Suite"><c>held-out</c> or <c>ood</c>.</param>
/// <param name="Summary">Mean, standard error, n and extra metrics.</param>
/// <param name="Items">Per-item results.</param>
public sealed record BenchmarkEvaluation(string BenchmarkId, string Family, string Suite, BenchmarkScoreSummary Summary, IReadOnlyList<BenchmarkItemResult> Items);
