namespace BeneficialRL.Evals.Scoring;

/// <summary>
/// Summary of scoring one benchmark run: mean item score with its standard error and n, plus extra metrics.
/// What a benchmark-run grain keeps of it is <c>Contracts.BenchmarkRuns.BenchmarkSummary</c>.
/// </summary>
/// <param name="BenchmarkId">The benchmark.</param>
/// <param name="Version">Its version.</param>
/// <param name="ContentHash">Its content hash, tying the result to exact items.</param>
/// <param name="N">Number of items scored.</param>
/// <param name="Mean">Mean item score (higher is better).</param>
/// <param name="StandardError">Sample standard deviation / √n (0 when n &lt; 2).</param>
/// <param name="Metrics">Extra metrics: <c>accuracy</c> and <c>normalised_mass</c> (length-normalised, the mc primary), <c>raw_accuracy</c> and <c>raw_mass</c> (summed log-probabilities), <c>refusal_rate</c>, <c>partial_rate</c>, <c>non_refusal_mean</c>, <c>should_comply_score</c> / <c>should_refuse_score</c> (refusal-label grading), BBQ's <c>bias_*</c>; no-aligned-answer benchmarks report <c>consistency</c>, <c>raw_consistency</c>, <c>decisiveness</c>, <c>argmax_agreement</c> and <c>paraphrase_groups</c> (<see cref="OptionConsistency"/>) instead of accuracy and mass ...</param>
public sealed record BenchmarkScoreSummary(string BenchmarkId, string Version, string ContentHash, int N, double Mean, double StandardError, IReadOnlyDictionary<string, double> Metrics);
