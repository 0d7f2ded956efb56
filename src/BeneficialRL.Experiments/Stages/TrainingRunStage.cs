using BeneficialRL.Experiments.Compute;
using BeneficialRL.Experiments.Mixtures;
using BeneficialRL.Experiments.Rewards;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Learning.Generation;
using BeneficialRL.Learning.Training.Grpo;
using BeneficialRL.Scenarios.Grading;
using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Experiments.Stages;

/// <summary>
/// Stage 2: one arm × seed of GRPO from the base checkpoint. Each step draws its batch from the arm's
/// mixture (<see cref="MixtureSampler"/>), rewards each slice with its grader, reports a
/// <see cref="TrainingStepRecord"/>, and every K steps (and at the end) hands a checkpoint with trainer
/// state to the caller. Given a checkpoint of the same run it resumes at its step; the steps that
/// follow equal those of an uninterrupted run (same batches, same random streams, same moments).
/// The KL reference is always the base checkpoint, resumed or not.
/// </summary>
public static class TrainingRunStage
{
    /// <summary>Runs (or resumes) the run to its last step.</summary>
    /// <param name="request">Arm and seed.</param>
    /// <param name="baseCheckpoint">The experiment's starting checkpoint (also the KL reference).</param>
    /// <param name="resumeFrom">A checkpoint of this run with trainer state, or null to start at step 0.</param>
    /// <param name="onStep">Called after every step (on the training thread).</param>
    /// <param name="onCheckpoint">Called every K steps and after the last step; awaited before training continues.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    /// <param name="scenarioSets">Resolves uploaded scenario sets by id.</param>
    /// <param name="modelGraders">Supplies model-grader clients for slices that use one.</param>
    /// <param name="onSamples">Called after each recorded step (<see cref="SampledGroups.Records"/>) with a few prompts' sampled groups (on the training thread); recording changes nothing in training.</param>
    public static async Task<TrainingRunResult> RunAsync(
        TrainingRunRequest request,
        Checkpoint baseCheckpoint,
        Checkpoint? resumeFrom,
        Action<TrainingStepRecord>? onStep,
        Func<TrainingCheckpoint, CancellationToken, Task>? onCheckpoint,
        CancellationToken cancellationToken,
        Func<string, IReadOnlyList<Scenario>>? scenarioSets = null,
        Func<SliceSpec, IGrader>? modelGraders = null,
        Action<SampledGroupsRecord>? onSamples = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(baseCheckpoint);
        var arm = request.ArmSpec;
        var budget = ComputeMatching.EffectiveBudget(request.Definition, arm);
        var pools = arm.Slices.Select(s => PromptPools.Build(s, scenarioSets, request.Definition.World.TrainsAllTraits)).ToList();
        // The arm's offset (A/A control) makes its draws independent of another arm's at the same seed.
        var runSeed = request.Seed + arm.SeedOffset;
        var sampler = new MixtureSampler(arm.Slices, pools, budget.PromptsPerStep, runSeed);
        var reward = new MixtureRewardFunction(arm.Slices, modelGraders);
        var tokenizer = baseCheckpoint.Tokenizer;
        var options = new GrpoOptions
        {
            GroupSize = budget.GroupSize,
            ClipEpsilon = budget.Epsilon,
            KlCoefficient = budget.Beta,
            LearningRate = budget.LearningRate,
            WarmupSteps = 0,
            TotalSteps = budget.Steps,
            Sampling = new SamplingOptions { Temperature = budget.Temperature, MaxNewTokens = budget.MaxNewTokens },
            MicroBatchSize = 16,
            RolloutBatchSize = 64,
            RewardTimeout = TimeSpan.FromSeconds(120),
            Seed = runSeed,
        };

        using var policy = (resumeFrom ?? baseCheckpoint).CreateModel();
        using var reference = budget.Beta > 0 ? baseCheckpoint.CreateModel() : null;
        using var trainer = new GrpoTrainer(policy, reference, tokenizer, reward, options);
        if (resumeFrom is not null)
        {
            var state = resumeFrom.Trainer ?? throw new ArgumentException("The resume checkpoint holds no trainer state.", nameof(resumeFrom));
            trainer.RestoreState(state);
        }

        var records = new List<TrainingStepRecord>();
        while (trainer.Step < budget.Steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var step = trainer.Step;
            var batch = sampler.Batch(step);
            var prompts = batch.Select(p => new GrpoPrompt(p.Id, p.Scenario is { } s ? ChatConversion.ToChat(s.Turns) : [Learning.Chat.ChatTurn.User(p.Task!.Prompt)], p)).ToList();
            reward.DrainSliceRewards();
            var recording = onSamples is not null && SampledGroups.Records(step, budget.Steps, budget.CheckpointEvery);
            if (recording) reward.Record(SampledGroups.Choose(batch.Select(p => (p.Id, p.Slice))));
            var metrics = await trainer.StepAsync(prompts, cancellationToken).ConfigureAwait(false);
            var slices = reward.DrainSliceRewards();
            if (recording) onSamples!(Sampled(request, step, prompts, reward.DrainRecorded()));
            var generated = (long)Math.Round(metrics.MeanCompletionTokens * metrics.Samples);
            var record = new TrainingStepRecord
            {
                Step = step,
                Arm = request.Arm,
                Seed = request.Seed,
                MeanReward = metrics.MeanReward,
                RewardStd = metrics.RewardStd,
                SliceRewards = arm.Slices.Where(s => slices.ContainsKey(s.Name)).ToDictionary(s => s.Name, s => SliceRewardStats.Of(slices[s.Name]), StringComparer.Ordinal),
                Kl = metrics.Kl,
                Entropy = metrics.Entropy,
                ClipFraction = metrics.ClipFraction,
                ZeroVarianceFraction = metrics.ZeroVarianceGroupFraction,
                Loss = metrics.Loss,
                LearningRate = metrics.LearningRate,
                TokensGenerated = generated,
                TokensTrained = metrics.TokensProcessed - generated,
                EstimatedFlops = metrics.EstimatedFlops,
                WallSeconds = metrics.WallTime.TotalSeconds,
            };
            records.Add(record);
            onStep?.Invoke(record);
            var done = trainer.Step;
            var final = done >= budget.Steps;
            if (onCheckpoint is not null && (final || done % budget.CheckpointEvery == 0))
            {
                var state = trainer.CaptureState(); // owned and disposed by the checkpoint
                using var checkpoint = Checkpoint.Capture(policy, tokenizer, state, new Dictionary<string, string>
                {
                    ["kind"] = "grpo",
                    ["experiment"] = request.ExperimentId,
                    ["arm"] = request.Arm,
                    ["seed"] = request.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["step"] = done.ToString(System.Globalization.CultureInfo.InvariantCulture),
                });
                await onCheckpoint(new TrainingCheckpoint(request.Arm, request.Seed, done, final, checkpoint), cancellationToken).ConfigureAwait(false);
            }
        }

        return new TrainingRunResult(request.Arm, request.Seed, records, trainer.Step);
    }

    /// <summary>The recorded completions as groups: in the order the prompts were chosen, samples by index, with GRPO's advantages.</summary>
    private static SampledGroupsRecord Sampled(TrainingRunRequest request, long step, IReadOnlyList<GrpoPrompt> prompts, IReadOnlyList<(RewardRequest Request, double Reward, GradeResult? Grade)> recorded)
    {
        var groups = recorded.GroupBy(r => r.Request.Prompt.Id, StringComparer.Ordinal).Select(g =>
        {
            var samples = g.OrderBy(r => r.Request.SampleIndex).ToList();
            var advantages = SampledGroups.Advantages([.. samples.Select(r => r.Reward)]);
            var prompt = prompts.First(p => p.Id == g.Key);
            return new SampledGroup(step, g.Key, (prompt.Payload as TrainingPrompt)?.Slice ?? "", prompt.Conversation,
                [.. samples.Select((r, i) => new SampledCompletion(r.Request.SampleIndex, r.Request.Completion, r.Request.Truncated, r.Reward, advantages[i],
                    r.Grade?.Grader ?? "standard-task", r.Grade?.Criteria ?? []))]);
        });
        return new SampledGroupsRecord(request.Arm, request.Seed, step, [.. groups]);
    }
}
