using System.Security.Cryptography;
using BeneficialRL.Storage.Artifacts;
using BeneficialRL.Primitives.Layout;
using BeneficialRL.Storage.Tests.Infrastructure;

namespace BeneficialRL.Storage.Tests.Layout;

/// <summary>
/// Writes at layout paths with the layout's write mode, against a real Azurite: what a job resumed after a lost
/// silo does when it stores its checkpoints and metrics again.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class TenantBlobWriteModeTests(StorageFixture fixture)
{
    private readonly BlobArtifactStore _store = fixture.CreateArtifactStore(StorageFixture.UniqueContainerName("layout"));

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ImmutableCheckpoint_SameBytesWrittenTwice_SecondWriteSucceedsAndKeepsTheBlob()
    {
        var path = TenantBlobLayout.InTenant("acme", TenantBlobLayout.CheckpointArchive(CheckpointIds.RunFolder("e1", "treatment", 1, 10)));
        var bytes = RandomBytes(5);

        var first = await WriteAsync(path, bytes);
        var second = await WriteAsync(path, bytes);

        Assert.Equal(ArtifactWriteMode.Immutable, TenantBlobLayout.WriteModeOf(path));
        Assert.Equal(first.Sha256, second.Sha256);
        Assert.Equal(first.LastModified, second.LastModified);
        Assert.Equal(bytes, await ReadAllAsync(path));
    }

    [Fact]
    public async Task ImmutableWeights_DifferentBytes_ThrowConflictNamingThePathAndKeepTheOriginal()
    {
        var path = TenantBlobLayout.InTenant("acme", TenantBlobLayout.CheckpointWeights("ckpt-1"));
        var original = RandomBytes(6);
        var changed = RandomBytes(7);
        await WriteAsync(path, original);

        var conflict = await Assert.ThrowsAsync<ArtifactConflictException>(() => WriteAsync(path, changed));

        Assert.Equal(path, conflict.Path);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(original)), conflict.ExistingSha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(changed)), conflict.NewSha256);
        Assert.Contains(path, conflict.Message, StringComparison.Ordinal);
        Assert.Equal(original, await ReadAllAsync(path));
    }

    [Fact]
    public async Task ImmutableScenarioVersion_DifferentBytes_ThrowConflict()
    {
        var path = TenantBlobLayout.InTenant("acme", TenantBlobLayout.ScenarioVersion("health", "ab12"));
        await WriteAsync(path, RandomBytes(8));

        await Assert.ThrowsAsync<ArtifactConflictException>(() => WriteAsync(path, RandomBytes(9)));
    }

    [Fact]
    public async Task ReplaceableMetrics_DifferentBytes_Overwrite()
    {
        var path = TenantBlobLayout.InTenant("acme", TenantBlobLayout.RunMetrics("e1", "treatment", 1));
        await WriteAsync(path, "{\"step\":0}\n"u8.ToArray());
        var grown = "{\"step\":0}\n{\"step\":1}\n"u8.ToArray();

        var info = await WriteAsync(path, grown);

        Assert.Equal(ArtifactWriteMode.Replace, TenantBlobLayout.WriteModeOf(path));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(grown)), info.Sha256);
        Assert.Equal(grown, await ReadAllAsync(path));
    }

    [Fact]
    public async Task ReplaceableReport_SameNameInTwoTenants_StaysSeparate()
    {
        var name = TenantBlobLayout.Report("e1", "report.json");
        await WriteAsync(TenantBlobLayout.InTenant("acme", name), "acme"u8.ToArray());
        await WriteAsync(TenantBlobLayout.InTenant("globex", name), "globex"u8.ToArray());

        Assert.Equal("acme"u8.ToArray(), await ReadAllAsync(TenantBlobLayout.InTenant("acme", name)));
        Assert.Equal("globex"u8.ToArray(), await ReadAllAsync(TenantBlobLayout.InTenant("globex", name)));
    }

    private static byte[] RandomBytes(int seed)
    {
        var bytes = new byte[4096];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private Task<ArtifactInfo> WriteAsync(string path, byte[] bytes) =>
        _store.PutAsync(path, new MemoryStream(bytes), "application/octet-stream", TenantBlobLayout.WriteModeOf(path), cancellationToken: Cancellation);

    private async Task<byte[]> ReadAllAsync(string path)
    {
        await using var stream = await _store.OpenReadAsync(path, Cancellation);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Cancellation);
        return copy.ToArray();
    }
}
