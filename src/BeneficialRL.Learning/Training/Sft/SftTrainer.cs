using System.Diagnostics;
using BeneficialRL.Learning.Chat;
using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace BeneficialRL.Learning.Training.Sft;

/// <summary>
/// Supervised fine-tuning: cross-entropy on response tokens only, AdamW, warmup + cosine schedule,
/// gradient clipping and accumulation over micro-batches. Builds the pre-RL base checkpoint and
/// runs harmful fine-tuning doses.
/// </summary>
public sealed class SftTrainer : IDisposable
{
    internal const string Kind = "sft";
    private readonly PolicyModel _model;
    private readonly ChatTemplate _template;
    private readonly SftOptions _options;
    private readonly AdamWOptimizer _optimizer;
    private readonly WarmupCosineSchedule _schedule;
    private DeterministicRandom _random;

    /// <summary>Trains <paramref name="model"/> in place.</summary>
    public SftTrainer(PolicyModel model, PolicyTokenizer tokenizer, SftOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _model = model;
        _template = new ChatTemplate(tokenizer);
        _options = options;
        _optimizer = new AdamWOptimizer(model.NamedParameters(), options.Optimizer);
        _schedule = new WarmupCosineSchedule(options.LearningRate, options.WarmupSteps, options.TotalSteps, options.MinimumLearningRateRatio);
        _random = new DeterministicRandom(options.Seed);
    }

    /// <summary>Optimizer steps completed.</summary>
    public long Step { get; private set; }

    /// <summary>One optimizer step on <paramref name="batch"/> (split into micro-batches).</summary>
    public SftStepMetrics TrainStep(IReadOnlyList<SftExample> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            throw new ArgumentException("An SFT step needs at least one example.", nameof(batch));
        }

        var stopwatch = Stopwatch.StartNew();
        var maxLength = _model.Config.MaxSequenceLength;
        var sequences = batch.Select(example =>
        {
            var prompt = _template.RenderPrompt(example.Prompt);
            var tokens = prompt.Concat(_template.RenderResponse(example.Response)).Take(maxLength).ToList();
            if (prompt.Count >= tokens.Count)
            {
                throw new ArgumentException($"An SFT prompt of {prompt.Count} tokens leaves no room for its response within MaxSequenceLength {maxLength}.", nameof(batch));
            }

            return ((IReadOnlyList<int>)tokens, prompt.Count);
        }).ToList();
        var trainedTotal = sequences.Sum(s => (long)(s.Item1.Count - s.Item2));
        using var trainedTotalScalar = trainedTotal.ToScalar(); // held across the calls (see HeldScalars)

        _model.train();
        _optimizer.ZeroGrad();
        double lossSum = 0;
        long processed = 0;
        double flops = 0;
        var padId = _template.Tokenizer.Special.Pad;
        for (var start = 0; start < sequences.Count; start += _options.MicroBatchSize)
        {
            using var scope = NewDisposeScope();
            var micro = sequences.Skip(start).Take(_options.MicroBatchSize).ToList();
            using var packed = SequenceBatch.Create(micro, padId, _model.Device);
            var logits = _model.forward(packed.Inputs);
            var loss = nn.functional.cross_entropy(
                logits.view(-1, logits.shape[^1]),
                packed.Targets.view(-1),
                ignore_index: SequenceBatch.IgnoreIndex,
                reduction: nn.Reduction.Sum).div(trainedTotalScalar);
            loss.backward();
            lossSum += loss.item<float>();
            processed += packed.TotalTokens;
            flops += 3 * packed.TotalTokens * _model.Config.ForwardFlopsPerToken(packed.Inputs.shape[1] / 2.0);
        }

        var gradientNorm = _optimizer.ClipGradients(_options.GradientClipNorm);
        var learningRate = _schedule.LearningRateAt(Step);
        _optimizer.Step(learningRate);
        var metrics = new SftStepMetrics
        {
            Step = Step,
            Loss = lossSum,
            LearningRate = learningRate,
            GradientNorm = gradientNorm,
            TrainedTokens = trainedTotal,
            TokensProcessed = processed,
            EstimatedFlops = flops,
            WallTime = stopwatch.Elapsed,
        };
        Step++;
        return metrics;
    }

    /// <summary>
    /// Runs <paramref name="steps"/> more steps, drawing batches from <paramref name="dataset"/> in
    /// shuffled epochs. The order depends only on the seed and the step, so a resumed run continues it exactly.
    /// </summary>
    public IReadOnlyList<SftStepMetrics> Train(IReadOnlyList<SftExample> dataset, int steps, IProgress<SftStepMetrics>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Count == 0)
        {
            throw new ArgumentException("The SFT dataset is empty.", nameof(dataset));
        }

        var results = new List<SftStepMetrics>(steps);
        int[]? order = null;
        long orderEpoch = -1;
        for (var s = 0; s < steps; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = new List<SftExample>(_options.BatchSize);
            for (var k = 0; k < _options.BatchSize; k++)
            {
                var index = (Step * _options.BatchSize) + k;
                var epoch = index / dataset.Count;
                if (epoch != orderEpoch)
                {
                    order = [.. Enumerable.Range(0, dataset.Count)];
                    new DeterministicRandom(_options.Seed + (epoch * 7919)).Shuffle(order);
                    orderEpoch = epoch;
                }

                batch.Add(dataset[order![(int)(index % dataset.Count)]]);
            }

            var metrics = TrainStep(batch);
            results.Add(metrics);
            progress?.Report(metrics);
        }

        return results;
    }

    /// <summary>Snapshot of the step, random state and optimizer moments, for a checkpoint.</summary>
    public TrainerState CaptureState() => TrainerState.Capture(Kind, Step, _random, _optimizer);

    /// <summary>Continues from a state captured by <see cref="CaptureState"/>.</summary>
    public void RestoreState(TrainerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _random = state.RestoreInto(Kind, _optimizer);
        Step = state.Step;
    }

    /// <inheritdoc />
    public void Dispose() => _optimizer.Dispose();
}
