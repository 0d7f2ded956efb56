using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.Scoring;
using BeneficialRL.Evaluation.Policies;
using BeneficialRL.Learning.Checkpoints;

namespace BeneficialRL.Evaluation.Checkpoints;

/// <summary>Loads a checkpoint from its stored parts and runs benchmarks on it.</summary>
public sealed class CheckpointEvaluator : IDisposable
{
    private readonly Checkpoint _checkpoint;
    private readonly Learning.Model.PolicyModel _model;
    private readonly LearningPolicyModel _policy;

    private CheckpointEvaluator(Checkpoint checkpoint)
    {
        _checkpoint = checkpoint;
        _model = checkpoint.CreateModel();
        _model.eval();
        _policy = new LearningPolicyModel(_model, checkpoint.Tokenizer);
    }

    /// <summary>The policy, for callers that run benchmarks themselves.</summary>
    public IPolicyModel Policy => _policy;

    /// <summary>
    /// Loads the checkpoint from its safetensors weights and <c>meta.json</c> (model config and tokenizer);
    /// throws <see cref="InvalidDataException"/> when they do not describe a loadable model.
    /// </summary>
    public static CheckpointEvaluator Load(Stream weights, Stream metadata)
    {
        try
        {
            return new CheckpointEvaluator(Checkpoint.FromParts(weights, metadata));
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"The checkpoint cannot be loaded as a policy: {e.Message}", e);
        }
    }

    /// <summary>Runs one benchmark, reporting items done.</summary>
    public Task<BenchmarkRunResult> RunAsync(Benchmark benchmark, BenchmarkRunOptions options, IProgress<int>? progress, CancellationToken cancellationToken) =>
        new BenchmarkRunner(_policy, options).RunAsync(benchmark, progress, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        _model.Dispose();
        _checkpoint.Dispose();
    }
}
