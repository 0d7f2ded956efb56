using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Experiments.Tests.Artifacts;

/// <summary>The in-process sink keeps the blob sink's write modes, so tests and the bench see production's rules.</summary>
public sealed class FileSystemArtifactSinkTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"brl-sink-{Guid.NewGuid():N}");

    [Fact]
    public async Task WriteBytesAsync_ImmutableCheckpointTwiceWithSameBytes_Succeeds()
    {
        var sink = new FileSystemArtifactSink(_root);
        var name = TenantBlobLayout.CheckpointArchive(CheckpointIds.RunFolder("e1", "treatment", 1, 10));

        await sink.WriteBytesAsync(name, [1, 2, 3], "application/x-tar", TestContext.Current.CancellationToken);
        await sink.WriteBytesAsync(name, [1, 2, 3], "application/x-tar", TestContext.Current.CancellationToken);

        Assert.Equal([1, 2, 3], await sink.ReadBytesAsync(name, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WriteBytesAsync_ImmutableCheckpointWithDifferentBytes_ThrowsAndKeepsTheOriginal()
    {
        var sink = new FileSystemArtifactSink(_root);
        var name = TenantBlobLayout.CheckpointWeights("ckpt-1");
        await sink.WriteBytesAsync(name, [1, 2, 3], "application/octet-stream", TestContext.Current.CancellationToken);

        var conflict = await Assert.ThrowsAsync<ArtifactConflictException>(() =>
            sink.WriteBytesAsync(name, [9, 9], "application/octet-stream", TestContext.Current.CancellationToken));

        Assert.Equal(name, conflict.Path);
        Assert.Equal([1, 2, 3], await sink.ReadBytesAsync(name, TestContext.Current.CancellationToken));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(sink.PathOf(name))!));
    }

    [Fact]
    public async Task WriteBytesAsync_ReplaceableMetrics_Overwrite()
    {
        var sink = new FileSystemArtifactSink(_root);
        var name = TenantBlobLayout.RunMetrics("e1", "treatment", 1);
        await sink.WriteBytesAsync(name, [1], "application/x-ndjson", TestContext.Current.CancellationToken);

        await sink.WriteBytesAsync(name, [1, 2], "application/x-ndjson", TestContext.Current.CancellationToken);

        Assert.Equal([1, 2], await sink.ReadBytesAsync(name, TestContext.Current.CancellationToken));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
