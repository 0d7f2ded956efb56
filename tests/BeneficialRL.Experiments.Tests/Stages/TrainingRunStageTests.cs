using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Jobs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Learning.Checkpoints;

namespace BeneficialRL.Experiments.Tests.Stages;

public sealed class TrainingRunStageTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "brl-exp-tests-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task RunAsync_ResumedFromMidCheckpoint_EqualsUninterruptedRun()
    {
        var ct = TestContext.Current.CancellationToken;
        var definition = TestDefinitions.SubQuick("resume");
        var sink = new FileSystemArtifactSink(_root);
        var baseResult = await BaseModelStage.RunAsync(definition, sink, null, ct);
        using var baseCheckpoint = await BaseModelStage.LoadAsync(baseResult, sink, ct);
        var request = new TrainingRunRequest("resume", definition, "treatment", 1);
        var tars = new Dictionary<long, byte[]>();

        var full = await TrainingRunStage.RunAsync(request, baseCheckpoint, null, null, async (c, token) => tars[c.Step] = await CheckpointArtifacts.ToTarAsync(c.Checkpoint, token), ct);
        using var mid = await Checkpoint.LoadAsync(new MemoryStream(tars[2]), ct);
        byte[]? resumedFinal = null;
        var resumed = await TrainingRunStage.RunAsync(request, baseCheckpoint, mid, null, async (c, token) =>
        {
            if (c.Final)
            {
                resumedFinal = await CheckpointArtifacts.ToTarAsync(c.Checkpoint, token);
            }
        }, ct);

        Assert.Equal(4, full.Records.Count);
        Assert.Equal([2L, 3L], resumed.Records.Select(r => r.Step));
        Assert.Equal(full.Records.Skip(2).Select(Comparable), resumed.Records.Select(Comparable));
        using var a = await Checkpoint.LoadAsync(new MemoryStream(tars[4]), ct);
        using var b = await Checkpoint.LoadAsync(new MemoryStream(resumedFinal!), ct);
        Assert.Equal(Weights(a), Weights(b));
        // Checkpoints are written once: a job resumed after a lost silo writes again the checkpoints it had stored, so
        // the whole archive (metadata and optimizer state too), not only the weights, must come out the same.
        Assert.Equal(tars[4], resumedFinal);
    }

    [Fact]
    public async Task RunAsync_RecordsPerSliceRewardsAndCompute()
    {
        var ct = TestContext.Current.CancellationToken;
        var definition = TestDefinitions.SubQuick("records");
        var sink = new FileSystemArtifactSink(_root);
        var baseResult = await BaseModelStage.RunAsync(definition, sink, null, ct);
        using var baseCheckpoint = await BaseModelStage.LoadAsync(baseResult, sink, ct);
        var streamed = new List<TrainingStepRecord>();
        var checkpoints = new List<long>();

        var result = await TrainingRunStage.RunAsync(new TrainingRunRequest("records", definition, "treatment", 1), baseCheckpoint, null, streamed.Add, (c, _) =>
        {
            checkpoints.Add(c.Step);
            return Task.CompletedTask;
        }, ct);

        Assert.Equal(result.Records, streamed);
        Assert.Equal([2L, 4L], checkpoints);
        // 25% of 4 prompts: exactly one trait prompt per step.
        Assert.All(streamed, r => Assert.Equal(2, r.SliceRewards["traits"].Count));
        Assert.All(streamed, r => Assert.True(r.TokensGenerated > 0 && r.TokensTrained > 0 && r.EstimatedFlops > 0));
    }

    [Fact]
    public async Task BaseModelStage_IdenticalSpec_ReusesCheckpoint()
    {
        var ct = TestContext.Current.CancellationToken;
        var definition = TestDefinitions.SubQuick("reuse");
        var sink = new FileSystemArtifactSink(_root);

        var first = await BaseModelStage.RunAsync(definition, sink, null, ct);
        var second = await BaseModelStage.RunAsync(definition with { Name = "other-name", Seeds = [5] }, sink, null, ct);

        Assert.False(first.Reused);
        Assert.True(second.Reused);
        Assert.Equal(first.SpecHash, second.SpecHash);
        Assert.Equal(first.CheckpointSha256, second.CheckpointSha256);
        Assert.NotEqual(first.SpecHash, BaseModelStage.SpecHash(definition with { StartingModel = definition.StartingModel with { BaseSft = definition.StartingModel.BaseSft with { Steps = 7 } } }));
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsWithOperationCanceled()
    {
        var ct = TestContext.Current.CancellationToken;
        var definition = TestDefinitions.SubQuick("cancel");
        var sink = new FileSystemArtifactSink(_root);
        var baseResult = await BaseModelStage.RunAsync(definition, sink, null, ct);
        using var baseCheckpoint = await BaseModelStage.LoadAsync(baseResult, sink, ct);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var steps = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TrainingRunStage.RunAsync(
            new TrainingRunRequest("cancel", definition, "baseline", 1), baseCheckpoint, null, _ =>
            {
                if (++steps == 1)
                {
                    cancellation.Cancel();
                }
            }, null, cancellation.Token));
        Assert.Equal(1, steps);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    // Wall time is the one field that legitimately differs; dictionaries compare by content through JSON.
    private static string Comparable(TrainingStepRecord r) => System.Text.Json.JsonSerializer.Serialize(r with { WallSeconds = 0 }, BeneficialRL.Experiments.Specs.ExperimentJson.Options);

    private static byte[] Weights(Checkpoint checkpoint)
    {
        using var buffer = new MemoryStream();
        checkpoint.WriteWeights(buffer);
        return buffer.ToArray();
    }
}
