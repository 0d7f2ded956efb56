using System.Runtime;
using BeneficialRL.Learning.Chat;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Learning.Generation;
using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Scoring;
using BeneficialRL.Learning.Training.Grpo;
using BeneficialRL.Learning.Training.Sft;
using static TorchSharp.torch;

namespace BeneficialRL.Learning.Tests.Torch;

/// <summary>
/// Every operation of the learning library disposes each tensor it makes. A tensor left to the garbage collector is
/// one that nothing references, and TorchSharp passes only raw handles to libtorch, so a temporary left that way (made
/// outside any dispose scope and passed straight to the next call) can be finalised, and its native tensor freed,
/// while libtorch still reads it: in a stand-alone reproduction under constant collection, such a temporary crashed the process (SIGSEGV). So the
/// operations below must leave the live-tensor count where they found it, once their first call has made what they
/// keep (optimizer moments, caches).
/// </summary>
/// <remarks>
/// Building a model is not measured this way: TorchSharp counts a tensor twice when it becomes a
/// <c>Parameter</c> (the handle moves to the new object, the count is not given back), so the count rises by one per
/// parameter made in C#, although nothing is left to the finalizer.
/// </remarks>
public sealed class TensorLifetimeTests
{
    private const long NoCollectionBudget = 128L << 20;

    private static readonly ChatTemplate Template = new(TestWorld.Tokenizer);

    private static readonly IReadOnlyList<IReadOnlyList<int>> RaggedPrompts =
        [Template.RenderPlain("Name a fruit."), Template.RenderPlain("The quick brown fox jumps over the lazy dog.")];

    public static TheoryData<string> Operations =>
    [
        "sft step", "grpo step with reference", "generate sampled", "generate greedy without cache",
        "generate several per prompt", "continuous batch", "score candidates", "score shared contexts", "token log-probs",
        "checkpoint round trip",
    ];

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_SecondCall_LeavesNoTensorForTheFinalizer(string operation)
    {
        using var model = TestWorld.NewModel();
        using var reference = TestWorld.NewModel(seed: 8);
        Func<Task> run = operation switch
        {
            "sft step" => SftStep(model),
            "grpo step with reference" => GrpoStep(model, reference),
            "generate sampled" => Generate(model, new SamplingOptions { Temperature = 1.0, TopP = 0.9, MaxNewTokens = 6 }, 1),
            "generate greedy without cache" => Generate(model, new SamplingOptions { Temperature = 0, MaxNewTokens = 6, UseKvCache = false }, 1),
            "generate several per prompt" => Generate(model, new SamplingOptions { Temperature = 0.8, TopP = 0.95, MaxNewTokens = 6 }, 3),
            "continuous batch" => ContinuousBatchRun(model),
            "score candidates" => Score(model, shareContexts: false),
            "score shared contexts" => Score(model, shareContexts: true),
            "token log-probs" => TokenLogProbs(model),
            "checkpoint round trip" => CheckpointRoundTrip(model),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
        };

        await run();

        // Tensors left to the finalizer earlier (by the first call, or by building the models) must not be counted here.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = Tensor.TotalCount;

        // No collection may run during the measured call: it would finalise what the call leaves, hiding it.
        Assert.True(GC.TryStartNoGCRegion(NoCollectionBudget), "could not suspend garbage collection for the measured call");
        var suspended = false;
        try
        {
            await run();
        }
        finally
        {
            suspended = GCSettings.LatencyMode == GCLatencyMode.NoGCRegion;
            if (suspended)
            {
                GC.EndNoGCRegion();
            }
        }

        Assert.True(suspended, $"the measured call allocated more than {NoCollectionBudget} bytes, so a collection ran during it");
        Assert.Equal(before, Tensor.TotalCount);
    }

    private static Func<Task> SftStep(PolicyModel model)
    {
        var trainer = new SftTrainer(model, TestWorld.Tokenizer, new SftOptions { BatchSize = 4, MicroBatchSize = 2, TotalSteps = 10 });
        SftExample[] examples = [.. TestWorld.Fruits.Take(4).Select(f => SftExample.FromUser("Name a fruit.", $"I pick {f}."))];
        return () =>
        {
            trainer.TrainStep(examples);
            return Task.CompletedTask;
        };
    }

    private static Func<Task> GrpoStep(PolicyModel model, PolicyModel reference)
    {
        var options = new GrpoOptions
        {
            GroupSize = 4,
            KlCoefficient = 0.05,
            UpdateEpochs = 2,
            TotalSteps = 10,
            Sampling = new SamplingOptions { MaxNewTokens = 6 },
            Seed = 3,
        };
        var reward = DelegateRewardFunction.FromSync(r => r.Completion.Length % 3 / 2.0);
        var trainer = new GrpoTrainer(model, reference, TestWorld.Tokenizer, reward, options);
        GrpoPrompt[] prompts = [new("a", [ChatTurn.User("Name a fruit.")]), new("b", [ChatTurn.User("Tell me a fruit.")])];
        return async () =>
        {
            var metrics = await trainer.StepAsync(prompts, TestContext.Current.CancellationToken);
            Assert.True(metrics.GradientNorm > 0, $"the step must reach its update (gradient norm {metrics.GradientNorm}, {metrics.Samples} samples)");
        };
    }

    private static Func<Task> CheckpointRoundTrip(PolicyModel model)
    {
        var trainer = new SftTrainer(model, TestWorld.Tokenizer, new SftOptions { BatchSize = 2, TotalSteps = 10 });
        trainer.TrainStep([SftExample.FromUser("Name a fruit.", "I pick plum.")]);
        return async () =>
        {
            using var stream = new MemoryStream();
            using (var checkpoint = Checkpoint.Capture(model, TestWorld.Tokenizer, trainer.CaptureState()))
            {
                await checkpoint.SaveAsync(stream, TestContext.Current.CancellationToken);
            }

            stream.Position = 0;
            using var loaded = await Checkpoint.LoadAsync(stream, TestContext.Current.CancellationToken);
            model.LoadWeights(loaded.Weights);
            trainer.RestoreState(loaded.Trainer!);
        };
    }

    private static Func<Task> Generate(PolicyModel model, SamplingOptions options, int samplesPerPrompt)
    {
        var generator = new TextGenerator(model, TestWorld.Tokenizer);
        return () =>
        {
            generator.GenerateFromTokens(RaggedPrompts, options, samplesPerPrompt);
            return Task.CompletedTask;
        };
    }

    private static Func<Task> ContinuousBatchRun(PolicyModel model) => () =>
    {
        using var batch = new ContinuousBatch(model, TestWorld.Tokenizer);
        var first = batch.Join(RaggedPrompts[0], new SamplingOptions { Temperature = 0.7, TopP = 0.9, MaxNewTokens = 6 });
        batch.Step();
        var second = batch.Join(RaggedPrompts[1], new SamplingOptions { Temperature = 0, MaxNewTokens = 4 });
        while (first.Result is null || second.Result is null) batch.Step();
        return Task.CompletedTask;
    };

    private static Func<Task> Score(PolicyModel model, bool shareContexts)
    {
        var scorer = new LogLikelihoodScorer(model, TestWorld.Tokenizer, 2, shareContexts);
        ScoringRequest[] requests = [new([1, 2, 3], [4, 5]), new([1, 2, 3], [6]), new([7], [8, 9, 10])];
        return () =>
        {
            scorer.ScoreBatch(requests);
            return Task.CompletedTask;
        };
    }

    private static Func<Task> TokenLogProbs(PolicyModel model)
    {
        var scorer = new TokenLogProbScorer(model, TestWorld.Tokenizer.Special.Pad);
        IReadOnlyList<int>[] sequences = [[1, 2, 3, 4], [5, 6]];
        return () =>
        {
            scorer.Score(sequences, topK: 3);
            return Task.CompletedTask;
        };
    }
}
