using BeneficialRL.Api.Tests.Infrastructure;
using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Jobs;
using BeneficialRL.Grains.Experiments;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Tokenization;
using BeneficialRL.Storage.Artifacts;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Api.Tests;

/// <summary>
/// The experiment jobs' blob sink on the service's own store (real Azurite): what a job resumed after a lost silo
/// meets when it stores a checkpoint it had already stored, and when it rewrites its growing metrics.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class BlobArtifactSinkTests(ApiFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private BlobArtifactSink NewTenantSink() => new(fixture.Artifacts, $"sink-{Guid.NewGuid():N}"[..20]);

    [Fact]
    public async Task WriteAsync_SameCheckpointArchivedTwice_SecondWriteIsANoOp()
    {
        var sink = NewTenantSink();
        var name = TenantBlobLayout.CheckpointArchive(CheckpointIds.RunFolder("e1", "treatment", 1, 10));
        var tokenizer = PolicyTokenizer.BuildCompactO200k(["a resumed run stores its checkpoint again"]);
        using var model = new PolicyModel(TransformerConfig.Tiny(tokenizer.VocabularySize), seed: 3);
        using var checkpoint = Checkpoint.Capture(model, tokenizer);

        await sink.WriteBytesAsync(name, await CheckpointArtifacts.ToTarAsync(checkpoint, Ct), "application/x-tar", Ct);
        var first = await fixture.Artifacts.GetInfoAsync(sink.PathOf(name), Ct);
        await sink.WriteBytesAsync(name, await CheckpointArtifacts.ToTarAsync(checkpoint, Ct), "application/x-tar", Ct);
        var second = await fixture.Artifacts.GetInfoAsync(sink.PathOf(name), Ct);

        Assert.NotNull(first);
        Assert.Equal(first.Sha256, second!.Sha256);
        Assert.Equal(first.LastModified, second.LastModified);
    }

    [Fact]
    public async Task WriteAsync_CheckpointWeightsWithDifferentBytes_FailsAndKeepsTheStoredWeights()
    {
        var sink = NewTenantSink();
        var name = TenantBlobLayout.CheckpointWeights("ckpt-1");
        await sink.WriteBytesAsync(name, SafetensorsFiles.SingleTensor(4), "application/octet-stream", Ct);

        var conflict = await Assert.ThrowsAsync<ArtifactConflictException>(() =>
            sink.WriteBytesAsync(name, SafetensorsFiles.SingleTensor(4, seed: 2f), "application/octet-stream", Ct));

        Assert.Equal(sink.PathOf(name), conflict.Path);
        Assert.Equal(SafetensorsFiles.SingleTensor(4), await sink.ReadBytesAsync(name, Ct));
    }

    [Fact]
    public async Task WriteAsync_RunMetrics_AreReplacedAsTheRunGrows()
    {
        var sink = NewTenantSink();
        var name = TenantBlobLayout.RunMetrics("e1", "treatment", 1);
        await sink.WriteBytesAsync(name, "{\"step\":0}\n"u8.ToArray(), "application/x-ndjson", Ct);

        await sink.WriteBytesAsync(name, "{\"step\":0}\n{\"step\":1}\n"u8.ToArray(), "application/x-ndjson", Ct);

        Assert.Equal("{\"step\":0}\n{\"step\":1}\n"u8.ToArray(), await sink.ReadBytesAsync(name, Ct));
    }
}
