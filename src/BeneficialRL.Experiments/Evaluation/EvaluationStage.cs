using System.Diagnostics;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.Scoring;
using BeneficialRL.Evaluation.Policies;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Learning.Checkpoints;

namespace BeneficialRL.Experiments.Evaluation;

/// <summary>
/// Stage 3: evaluates a checkpoint on the held-out trait suite and the selected OOD benchmarks through
/// the Benchmarks runner. Sampling uses one fixed seed for every checkpoint, so arms are compared on
/// common random numbers.
/// </summary>
public static class EvaluationStage
{
    /// <summary>Evaluates <paramref name="checkpoint"/> on <paramref name="suite"/>.</summary>
    /// <param name="checkpoint">The policy.</param>
    /// <param name="arm">Arm label for the result.</param>
    /// <param name="seed">Seed label for the result.</param>
    /// <param name="step">Step label for the result.</param>
    /// <param name="suite">The suite (from <see cref="EvaluationSuite.Build"/>).</param>
    /// <param name="spec">Samples, token limit.</param>
    /// <param name="maxItemsPerBenchmark">Caps items per benchmark (the checkpoint curves use a subset); null for all.</param>
    /// <param name="progress">Benchmarks done.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    public static async Task<CheckpointEvaluation> EvaluateAsync(
        Checkpoint checkpoint,
        string arm,
        long seed,
        long step,
        EvaluationSuite suite,
        EvaluationSpec spec,
        int? maxItemsPerBenchmark,
        IProgress<StageProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(spec);
        var clock = Stopwatch.StartNew();
        using var model = checkpoint.CreateModel();
        model.eval();
        var policy = new LearningPolicyModel(model, checkpoint.Tokenizer);
        var runner = new BenchmarkRunner(policy, new BenchmarkRunOptions
        {
            BatchSize = 64,
            SamplesPerItem = spec.SamplesPerItem,
            MaxItems = maxItemsPerBenchmark,
            Generation = new GenerationSettings(spec.MaxNewTokens, 0.7, 0.95, 1234),
        });
        var all = suite.HeldOut.Select(b => (Benchmark: b, Suite: EvaluationSuites.HeldOut)).Concat(suite.Ood.Select(b => (Benchmark: b, Suite: EvaluationSuites.Ood))).ToList();
        var results = new List<BenchmarkEvaluation>(all.Count);
        var unit = $"{arm}-s{seed}@{step}";
        foreach (var (benchmark, name) in all)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var run = await runner.RunAsync(benchmark, null, cancellationToken).ConfigureAwait(false);
            results.Add(new BenchmarkEvaluation(benchmark.Definition.Id, benchmark.Definition.Family, name, run.Summary, run.Items));
            progress?.Report(new StageProgress(StageNames.Evaluation, unit, results.Count, all.Count, $"{unit}: {benchmark.Definition.Id} mean {run.Summary.Mean:0.000}"));
        }

        return new CheckpointEvaluation(arm, seed, step, results, clock.Elapsed.TotalSeconds);
    }
}
