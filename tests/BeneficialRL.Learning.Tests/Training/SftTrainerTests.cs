using BeneficialRL.Learning.Chat;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Learning.Generation;
using BeneficialRL.Learning.Training.Sft;
using TorchSharp;

namespace BeneficialRL.Learning.Tests.Training;

public sealed class SftTrainerTests
{
    private static readonly SftExample[] Examples =
    [
        SftExample.FromUser("Name a fruit.", "I pick cherry."),
        SftExample.FromUser("Pick a fruit.", "I pick mango."),
        SftExample.FromUser("What is two plus two?", "Four."),
        SftExample.FromUser("Tell me a fruit.", "I pick plum.", system: "Be brief."),
    ];

    [Fact]
    public void Train_SmallSet_OverfitsAndGreedyGenerationReproducesResponses()
    {
        using var model = TestWorld.NewModel(seed: 21);
        using var trainer = new SftTrainer(model, TestWorld.Tokenizer, new SftOptions
        {
            BatchSize = 4,
            MicroBatchSize = 2,
            LearningRate = 3e-3,
            WarmupSteps = 5,
            TotalSteps = 120,
        });
        var metrics = trainer.Train(Examples, 120, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(metrics[0].Loss > 3, $"initial loss {metrics[0].Loss}");
        Assert.True(metrics[^1].Loss < 0.05, $"final loss {metrics[^1].Loss}");

        // Only response tokens (plus each closing end-of-turn) are trained on; every batch holds all four examples.
        var responseTokens = Examples.Sum(e => TestWorld.Tokenizer.Encode(e.Response).Count + 1);
        Assert.All(metrics, m => Assert.Equal(responseTokens, m.TrainedTokens));

        var generator = new TextGenerator(model, TestWorld.Tokenizer);
        var outputs = generator.GenerateChat([.. Examples.Select(e => e.Prompt)], new SamplingOptions { Temperature = 0, MaxNewTokens = 10 });
        Assert.Equal(Examples.Select(e => e.Response), outputs.Select(o => o.Text));
        Assert.All(outputs, o => Assert.Equal(FinishReason.EndOfTurn, o.FinishReason));
    }

    [Fact]
    public void TrainStep_MicroBatchesAccumulate_ToTheFullBatchGradient()
    {
        using var a = TestWorld.NewModel(seed: 5);
        using var b = TestWorld.NewModel(seed: 5);
        using var whole = new SftTrainer(a, TestWorld.Tokenizer, new SftOptions { BatchSize = 4, MicroBatchSize = 4 });
        using var split = new SftTrainer(b, TestWorld.Tokenizer, new SftOptions { BatchSize = 4, MicroBatchSize = 1 });
        var m1 = whole.TrainStep(Examples);
        var m2 = split.TrainStep(Examples);
        Assert.Equal(m1.Loss, m2.Loss, 1e-5);
        Assert.Equal(m1.GradientNorm, m2.GradientNorm, 1e-4);
    }

    [Fact]
    public async Task Resume_FromCheckpointMidRun_ReproducesTheLossSequence()
    {
        var options = new SftOptions { BatchSize = 3, MicroBatchSize = 2, LearningRate = 2e-3, WarmupSteps = 2, TotalSteps = 8, Optimizer = new() { WeightDecay = 0.01 } };
        List<double> uninterrupted;
        using (var model = TestWorld.NewModel(seed: 9))
        using (var trainer = new SftTrainer(model, TestWorld.Tokenizer, options))
        {
            uninterrupted = [.. trainer.Train(Examples, 8, cancellationToken: TestContext.Current.CancellationToken).Select(m => m.Loss)];
        }

        var resumed = new List<double>();
        using var stream = new MemoryStream();
        using (var model = TestWorld.NewModel(seed: 9))
        using (var trainer = new SftTrainer(model, TestWorld.Tokenizer, options))
        {
            resumed.AddRange(trainer.Train(Examples, 4, cancellationToken: TestContext.Current.CancellationToken).Select(m => m.Loss));
            using var checkpoint = Checkpoint.Capture(model, TestWorld.Tokenizer, trainer.CaptureState());
            await checkpoint.SaveAsync(stream, TestContext.Current.CancellationToken);
        }

        stream.Position = 0;
        using (var checkpoint = await Checkpoint.LoadAsync(stream, TestContext.Current.CancellationToken))
        using (var model = checkpoint.CreateModel(torch.CPU))
        using (var trainer = new SftTrainer(model, checkpoint.Tokenizer, options))
        {
            trainer.RestoreState(checkpoint.Trainer!);
            Assert.Equal(4, trainer.Step);
            resumed.AddRange(trainer.Train(Examples, 4, cancellationToken: TestContext.Current.CancellationToken).Select(m => m.Loss));
        }

        Assert.Equal(uninterrupted, resumed);
    }
}
