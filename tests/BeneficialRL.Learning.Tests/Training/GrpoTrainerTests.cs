using BeneficialRL.Learning.Chat;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Learning.Generation;
using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Training.Grpo;
using BeneficialRL.Learning.Training.Sft;
using TorchSharp;

namespace BeneficialRL.Learning.Tests.Training;

public sealed class GrpoTrainerTests
{
    private static readonly string[] Questions = ["Name a fruit.", "Pick a fruit.", "Choose a fruit.", "Tell me a fruit."];

    private static readonly GrpoPrompt[] Prompts = [.. Questions.Select((q, i) => new GrpoPrompt($"q{i}", [ChatTurn.User(q)]))];

    private static readonly IRewardFunction ContainsCherry =
        DelegateRewardFunction.FromSync(r => r.Completion.Contains("cherry", StringComparison.Ordinal) ? 1.0 : 0.0);

    private static GrpoOptions ToyOptions => new()
    {
        GroupSize = 8,
        LearningRate = 2e-3,
        KlCoefficient = 0.01,
        UpdateEpochs = 2,
        TotalSteps = 40,
        Sampling = new SamplingOptions { MaxNewTokens = 8 },
        RewardTimeout = TimeSpan.FromSeconds(20),
        Seed = 4,
    };

    /// <summary>A base policy that answers every question with a uniformly chosen fruit: chance of "cherry" is 1/8.</summary>
    private static PolicyModel TrainBase()
    {
        var model = TestWorld.NewModel(seed: 17);
        var examples = Questions.SelectMany(q => TestWorld.Fruits.Select(f => SftExample.FromUser(q, $"I pick {f}."))).ToList();
        using var sft = new SftTrainer(model, TestWorld.Tokenizer, new SftOptions { BatchSize = 16, LearningRate = 3e-3, WarmupSteps = 5, TotalSteps = 60, Seed = 2 });
        sft.Train(examples, 60);
        return model;
    }

    [Fact]
    public async Task Step_ToyTargetWordReward_RaisesMeanRewardFromChanceAboveNinetyPercent()
    {
        using var model = TrainBase();
        using var trainer = new GrpoTrainer(model, null, TestWorld.Tokenizer, ContainsCherry, ToyOptions);
        var history = new List<GrpoStepMetrics>();
        for (var step = 0; step < 40; step++)
        {
            history.Add(await trainer.StepAsync(Prompts, TestContext.Current.CancellationToken));
            if (history.Count >= 2 && history[^1].MeanReward >= 0.95 && history[^2].MeanReward >= 0.95)
            {
                break;
            }
        }

        Assert.True(history[0].MeanReward < 0.4, $"the base policy should start near chance (1/8), got {history[0].MeanReward}");
        Assert.True(history[^1].MeanReward >= 0.95, $"reward after {history.Count} steps: {string.Join(", ", history.Select(h => h.MeanReward.ToString("0.00")))}");
        Assert.All(history, h =>
        {
            Assert.Equal(32, h.Samples);
            Assert.Equal(0, h.RewardFailures + h.RewardTimeouts);
            Assert.True(h.TokensProcessed > 0 && h.EstimatedFlops > 0 && h.WallTime > TimeSpan.Zero);
            Assert.InRange(h.ClipFraction, 0, 1);
            Assert.True(h.Kl >= 0 && h.Entropy >= 0);
        });

        var fresh = new TextGenerator(model, TestWorld.Tokenizer).GenerateChat(
            [.. Enumerable.Range(0, 64).Select(i => (IReadOnlyList<ChatTurn>)Prompts[i % 4].Conversation)],
            new SamplingOptions { MaxNewTokens = 8, Seed = 99 });
        Assert.True(fresh.Count(r => r.Text.Contains("cherry", StringComparison.Ordinal)) > 0.9 * 64);
    }

    [Fact]
    public async Task Step_SlowAndFailingRewards_AreCountedAndExcluded()
    {
        var reward = new DelegateRewardFunction(async (request, token) =>
        {
            switch (request.SampleIndex)
            {
                case 0:
                    // Ignores cancellation on purpose: the trainer's deadline must still fire.
                    await Task.Delay(TimeSpan.FromMinutes(10), CancellationToken.None);
                    return 1;
                case 1:
                    await Task.Delay(TimeSpan.FromMinutes(10), token);
                    return 1;
                case 2:
                    throw new InvalidOperationException("judge unavailable");
                case 3:
                    return double.NaN;
                default:
                    return request.SampleIndex % 2;
            }
        });
        using var model = TestWorld.NewModel();
        using var trainer = new GrpoTrainer(model, null, TestWorld.Tokenizer, reward, ToyOptions with { RewardTimeout = TimeSpan.FromMilliseconds(300) });
        var metrics = await trainer.StepAsync(Prompts, TestContext.Current.CancellationToken);
        Assert.Equal(2 * Prompts.Length, metrics.RewardTimeouts);
        Assert.Equal(2 * Prompts.Length, metrics.RewardFailures);

        // Scored samples 4..7 give rewards 0,1,0,1: mean 0.5, not dragged down by zeros for the failures.
        Assert.Equal(0.5, metrics.MeanReward, 1e-9);
        Assert.Equal(0, metrics.ZeroVarianceGroups);
    }

    [Fact]
    public async Task Step_IdenticalRewardsInEveryGroup_ReportsAllGroupsAsZeroVariance()
    {
        using var model = TestWorld.NewModel();
        using var trainer = new GrpoTrainer(model, null, TestWorld.Tokenizer, DelegateRewardFunction.FromSync(_ => 1.0), ToyOptions);
        var metrics = await trainer.StepAsync(Prompts, TestContext.Current.CancellationToken);
        Assert.Equal(Prompts.Length, metrics.ZeroVarianceGroups);
        Assert.Equal(1.0, metrics.ZeroVarianceGroupFraction);
        Assert.Equal(0, metrics.ClipFraction);
    }

    [Theory]
    [InlineData(LossAggregation.TokenLevel)]
    [InlineData(LossAggregation.SequenceLevel)]
    public async Task Resume_FromCheckpoint_ReproducesTheRewardAndLossSequence(LossAggregation aggregation)
    {
        var options = ToyOptions with { Aggregation = aggregation, GroupSize = 4 };
        var prompts = Prompts.Take(2).ToList();
        using var start = TestWorld.NewModel(seed: 8);
        using var reference = start.Clone(frozen: true);
        var reward = DelegateRewardFunction.FromSync(r => r.Completion.Length % 3);

        var uninterrupted = new List<(double, double)>();
        using (var policy = start.Clone(frozen: false))
        using (var trainer = new GrpoTrainer(policy, reference, TestWorld.Tokenizer, reward, options))
        {
            for (var i = 0; i < 4; i++)
            {
                var m = await trainer.StepAsync(prompts, TestContext.Current.CancellationToken);
                uninterrupted.Add((m.MeanReward, m.Loss));
            }
        }

        var resumed = new List<(double, double)>();
        using var stream = new MemoryStream();
        using (var policy = start.Clone(frozen: false))
        using (var trainer = new GrpoTrainer(policy, reference, TestWorld.Tokenizer, reward, options))
        {
            for (var i = 0; i < 2; i++)
            {
                var m = await trainer.StepAsync(prompts, TestContext.Current.CancellationToken);
                resumed.Add((m.MeanReward, m.Loss));
            }

            using var checkpoint = Checkpoint.Capture(policy, TestWorld.Tokenizer, trainer.CaptureState());
            await checkpoint.SaveAsync(stream, TestContext.Current.CancellationToken);
        }

        stream.Position = 0;
        using (var checkpoint = await Checkpoint.LoadAsync(stream, TestContext.Current.CancellationToken))
        using (var policy = checkpoint.CreateModel(torch.CPU))
        using (var trainer = new GrpoTrainer(policy, reference, checkpoint.Tokenizer, reward, options))
        {
            trainer.RestoreState(checkpoint.Trainer!);
            for (var i = 0; i < 2; i++)
            {
                var m = await trainer.StepAsync(prompts, TestContext.Current.CancellationToken);
                resumed.Add((m.MeanReward, m.Loss));
            }
        }

        Assert.Equal(uninterrupted, resumed);
    }
}
