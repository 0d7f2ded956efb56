using System.Diagnostics;
using BeneficialRL.Learning.Chat;
using BeneficialRL.Learning.Generation;
using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Tokenization;
using BeneficialRL.Learning.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace BeneficialRL.Learning.Training.Grpo;

/// <summary>
/// Group Relative Policy Optimisation: each prompt is rolled out G times, rewards are normalised
/// within the group, and the policy follows a clipped surrogate with a k3 KL penalty to a frozen
/// reference model, for several update epochs per batch. Samples whose reward failed or timed out
/// are counted and excluded from the loss.
/// </summary>
public sealed class GrpoTrainer : IDisposable
{
    internal const string Kind = "grpo";
    private readonly PolicyModel _policy;
    private readonly PolicyModel? _reference;
    private readonly bool _ownsReference;
    private readonly ChatTemplate _template;
    private readonly IRewardFunction _reward;
    private readonly GrpoOptions _options;
    private readonly AdamWOptimizer _optimizer;
    private readonly WarmupCosineSchedule _schedule;
    private readonly TextGenerator _generator;
    private DeterministicRandom _random;

    /// <summary>Trains <paramref name="policy"/> in place.</summary>
    /// <param name="policy">The model being optimised.</param>
    /// <param name="reference">Frozen reference for the KL penalty; when null a frozen copy of <paramref name="policy"/> is taken now
    /// (on resume, pass the run's starting weights instead).</param>
    /// <param name="tokenizer">Tokenizer of both models.</param>
    /// <param name="reward">Scores completions.</param>
    /// <param name="options">Hyper-parameters; validated.</param>
    public GrpoTrainer(PolicyModel policy, PolicyModel? reference, PolicyTokenizer tokenizer, IRewardFunction reward, GrpoOptions options)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(reward);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _policy = policy;
        if (options.KlCoefficient > 0)
        {
            _ownsReference = reference is null;
            _reference = reference ?? policy.Clone(frozen: true);
            _reference.eval();
        }

        _template = new ChatTemplate(tokenizer);
        _reward = reward;
        _options = options;
        _optimizer = new AdamWOptimizer(policy.NamedParameters(), options.Optimizer);
        _schedule = new WarmupCosineSchedule(options.LearningRate, options.WarmupSteps, options.TotalSteps, options.MinimumLearningRateRatio);
        _generator = new TextGenerator(policy, tokenizer);
        _random = new DeterministicRandom(options.Seed);
    }

    /// <summary>Steps completed.</summary>
    public long Step { get; private set; }

    /// <summary>One GRPO step over <paramref name="prompts"/> × G rollouts.</summary>
    public async Task<GrpoStepMetrics> StepAsync(IReadOnlyList<GrpoPrompt> prompts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        if (prompts.Count == 0)
        {
            throw new ArgumentException("A GRPO step needs at least one prompt.", nameof(prompts));
        }

        var total = Stopwatch.StartNew();
        var config = _policy.Config;
        var group = _options.GroupSize;
        var promptIds = prompts.Select(p => (IReadOnlyList<int>)_template.RenderPrompt(p.Conversation)).ToList();

        // Rollouts: all dispose scopes live inside the generator, so nothing below awaits inside one.
        var rolloutClock = Stopwatch.StartNew();
        var rowPrompts = Enumerable.Range(0, prompts.Count * group).Select(i => i / group).ToList();
        var completions = new List<GenerationResult>(rowPrompts.Count);
        foreach (var chunk in rowPrompts.Chunk(_options.RolloutBatchSize))
        {
            var sampling = _options.Sampling with { Seed = _random.NextSeed() };
            var chunkPrompts = chunk.Select(i => promptIds[i]).ToList();
            completions.AddRange(await Task.Run(() => _generator.GenerateFromTokens(chunkPrompts, sampling), cancellationToken).ConfigureAwait(false));
        }

        rolloutClock.Stop();
        var generatedTokens = completions.Sum(c => (long)c.TokenIds.Count);
        var rolloutFlops = completions.Select((c, i) => c.TokenIds.Count * config.ForwardFlopsPerToken(promptIds[rowPrompts[i]].Count + (c.TokenIds.Count / 2.0))).Sum();

        var rewardClock = Stopwatch.StartNew();
        var requests = completions.Select((c, i) => new RewardRequest(prompts[rowPrompts[i]], i % group, c.Text, c.TokenIds, c.FinishReason == FinishReason.Length)).ToList();
        var outcomes = await RewardEvaluator.EvaluateAsync(_reward, requests, _options.RewardTimeout, cancellationToken).ConfigureAwait(false);
        rewardClock.Stop();

        var (advantages, zeroVarianceGroups) = ComputeAdvantages(outcomes, prompts.Count, group);
        var scored = outcomes.Where(o => o.Status == RewardStatus.Scored).Select(o => o.Reward).ToList();
        var meanReward = scored.Count > 0 ? scored.Average() : double.NaN;
        var rewardStd = scored.Count > 0 ? Math.Sqrt(scored.Select(r => (r - meanReward) * (r - meanReward)).Average()) : double.NaN;
        var learningRate = _schedule.LearningRateAt(Step);
        var samples = Enumerable.Range(0, completions.Count)
            .Where(i => outcomes[i].Status == RewardStatus.Scored && completions[i].TokenIds.Count > 0)
            .Select(i => new TrainingSample(promptIds[rowPrompts[i]].Concat(completions[i].TokenIds).ToList(), promptIds[rowPrompts[i]].Count, advantages[i]))
            .ToList();

        var update = samples.Count > 0
            ? await Task.Run(() => Update(samples, learningRate), cancellationToken).ConfigureAwait(false)
            : new UpdateResult(0, 0, 0, 0, 0, 0, 0);

        var metrics = new GrpoStepMetrics
        {
            Step = Step,
            MeanReward = meanReward,
            RewardStd = rewardStd,
            Kl = update.Kl,
            Entropy = update.Entropy,
            ClipFraction = update.ClipFraction,
            Loss = update.Loss,
            Groups = prompts.Count,
            ZeroVarianceGroups = zeroVarianceGroups,
            Samples = completions.Count,
            RewardFailures = outcomes.Count(o => o.Status == RewardStatus.Failed),
            RewardTimeouts = outcomes.Count(o => o.Status == RewardStatus.TimedOut),
            MeanCompletionTokens = (double)generatedTokens / completions.Count,
            TokensProcessed = generatedTokens + update.Tokens,
            EstimatedFlops = rolloutFlops + update.Flops,
            LearningRate = learningRate,
            GradientNorm = update.GradientNorm,
            RolloutTime = rolloutClock.Elapsed,
            RewardTime = rewardClock.Elapsed,
            WallTime = total.Elapsed,
        };
        Step++;
        return metrics;
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
    public void Dispose()
    {
        _optimizer.Dispose();
        if (_ownsReference)
        {
            _reference?.Dispose();
        }
    }

    private (double[] Advantages, int ZeroVarianceGroups) ComputeAdvantages(IReadOnlyList<RewardOutcome> outcomes, int groups, int group)
    {
        var advantages = new double[outcomes.Count];
        var zeroVariance = 0;
        for (var g = 0; g < groups; g++)
        {
            var members = Enumerable.Range(g * group, group).Where(i => outcomes[i].Status == RewardStatus.Scored).ToList();
            var rewards = members.Select(i => outcomes[i].Reward).ToList();
            var mean = rewards.Count > 0 ? rewards.Average() : 0;
            var std = rewards.Count > 0 ? Math.Sqrt(rewards.Select(r => (r - mean) * (r - mean)).Average()) : 0;
            if (rewards.Count < 2 || std < 1e-12)
            {
                zeroVariance++;
                continue;
            }

            foreach (var i in members)
            {
                advantages[i] = (outcomes[i].Reward - mean) / (std + _options.AdvantageEpsilon);
            }
        }

        return (advantages, zeroVariance);
    }

    private UpdateResult Update(List<TrainingSample> samples, double learningRate)
    {
        var config = _policy.Config;
        var device = _policy.Device;
        var padId = _template.Tokenizer.Special.Pad;
        var micro = samples.Chunk(_options.MicroBatchSize).ToList();
        var totalCompletionTokens = samples.Sum(s => (long)(s.Tokens.Count - s.TrainFrom));
        double flops = 0;
        long tokens = 0;

        // Old and reference log-probabilities, fixed for every epoch of this batch.
        var oldLogProbs = new List<Tensor>(micro.Count);
        var referenceLogProbs = new List<Tensor?>(micro.Count);
        double entropySum = 0;
        using var keep = NewDisposeScope();
        using (torch.no_grad())
        {
            _policy.eval();
            foreach (var chunk in micro)
            {
                using var scope = NewDisposeScope();
                using var batch = Pack(chunk, padId, device);
                var logits = _policy.forward(batch.Inputs);
                var logProbsAll = logits.log_softmax(-1);
                oldLogProbs.Add(logProbsAll.gather(-1, batch.Targets.clamp_min(HeldScalars.Zero).unsqueeze(-1)).squeeze(-1).MoveToOuterDisposeScope());
                var entropy = -(logProbsAll.exp() * logProbsAll).sum(-1);
                entropySum += (entropy * batch.LossMask).sum().item<float>();
                referenceLogProbs.Add(_reference is null ? null : TokenLogProbs(_reference.forward(batch.Inputs), batch.Targets).MoveToOuterDisposeScope());
                var forwards = _reference is null ? 1 : 2;
                flops += forwards * batch.TotalTokens * config.ForwardFlopsPerToken(batch.Inputs.shape[1] / 2.0);
                tokens += forwards * batch.TotalTokens;
            }
        }

        _policy.train();
        double lossSum = 0, klSum = 0, clippedSum = 0, gradientNorm = 0;
        var epsilon = _options.ClipEpsilon;

        // Held across the calls that read them (see HeldScalars).
        using var epsilonScalar = epsilon.ToScalar();
        using var ratioFloor = (1 - epsilon).ToScalar();
        using var ratioCeiling = (1 + epsilon).ToScalar();
        using var klCoefficient = _options.KlCoefficient.ToScalar();
        using var completionTokens = totalCompletionTokens.ToScalar();
        using var sampleCount = samples.Count.ToScalar();
        for (var epoch = 0; epoch < _options.UpdateEpochs; epoch++)
        {
            _optimizer.ZeroGrad();
            for (var m = 0; m < micro.Count; m++)
            {
                using var scope = NewDisposeScope();
                using var batch = Pack(micro[m], padId, device);
                var advantages = tensor(micro[m].Select(s => (float)s.Advantage).ToArray(), device: device).unsqueeze(1);
                var logProbs = TokenLogProbs(_policy.forward(batch.Inputs), batch.Targets);
                var ratio = (logProbs - oldLogProbs[m]).exp();
                var surrogate = minimum(ratio * advantages, ratio.clamp(ratioFloor, ratioCeiling) * advantages);
                var perToken = -surrogate;
                if (referenceLogProbs[m] is { } reference)
                {
                    var delta = reference - logProbs;
                    var kl = (delta.exp() - delta).sub(HeldScalars.One);
                    perToken = perToken.add(kl.mul(klCoefficient), HeldScalars.One);
                    klSum += (kl.detach() * batch.LossMask).sum().item<float>();
                }

                var masked = perToken * batch.LossMask;
                var loss = _options.Aggregation == LossAggregation.TokenLevel
                    ? masked.sum().div(completionTokens)
                    : (masked.sum(1) / batch.LossMask.sum(1).clamp_min(HeldScalars.One)).sum().div(sampleCount);
                loss.backward();
                lossSum += loss.item<float>();
                clippedSum += (ratio.detach().sub(HeldScalars.One).abs().gt(epsilonScalar).to(ScalarType.Float32) * batch.LossMask).sum().item<float>();
                flops += 3 * batch.TotalTokens * config.ForwardFlopsPerToken(batch.Inputs.shape[1] / 2.0);
                tokens += batch.TotalTokens;
            }

            gradientNorm = _optimizer.ClipGradients(_options.GradientClipNorm);
            _optimizer.Step(learningRate);
        }

        var epochTokens = (double)totalCompletionTokens * _options.UpdateEpochs;
        return new UpdateResult(
            Loss: lossSum / _options.UpdateEpochs,
            Kl: _reference is null ? 0 : klSum / epochTokens,
            Entropy: entropySum / totalCompletionTokens,
            ClipFraction: clippedSum / epochTokens,
            GradientNorm: gradientNorm,
            Tokens: tokens,
            Flops: flops);
    }

    private static SequenceBatch Pack(IEnumerable<TrainingSample> chunk, int padId, Device device) =>
        SequenceBatch.Create([.. chunk.Select(s => ((IReadOnlyList<int>)s.Tokens, s.TrainFrom))], padId, device);

    private static Tensor TokenLogProbs(Tensor logits, Tensor targets) =>
        logits.gather(-1, targets.clamp_min(HeldScalars.Zero).unsqueeze(-1)).squeeze(-1) - logits.logsumexp(-1);

    private sealed record TrainingSample(List<int> Tokens, int TrainFrom, double Advantage);

    private sealed record UpdateResult(double Loss, double Kl, double Entropy, double ClipFraction, double GradientNorm, long Tokens, double Flops);
}
