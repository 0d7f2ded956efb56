using BeneficialRL.Primitives.Layout;
using System.Security.Cryptography;
using System.Text;
using BeneficialRL.Storage.Artifacts;
using BeneficialRL.Storage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BeneficialRL.Storage.Tests.Artifacts;

/// <summary>The <see cref="IArtifactStore"/> contract of <see cref="BlobArtifactStore"/> against a real Azurite.</summary>
[Collection(StorageCollection.Name)]
public sealed class BlobArtifactStoreTests(StorageFixture fixture)
{
    private readonly BlobArtifactStore _store = fixture.CreateArtifactStore(StorageFixture.UniqueContainerName("artifacts"));

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PutAsync_SmallContent_StoresBytesHashTypeAndMetadata()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"scenario\": 1}\n");
        var metadata = new Dictionary<string, string> { ["setId"] = "health-v1" };

        var info = await _store.PutAsync("scenarios/health/v1.jsonl", new MemoryStream(bytes), "application/jsonl", metadata: metadata, cancellationToken: Cancellation);

        Assert.Equal("scenarios/health/v1.jsonl", info.Path);
        Assert.Equal(bytes.Length, info.Length);
        Assert.Equal(Sha256Of(bytes), info.Sha256);
        var stored = await _store.GetInfoAsync("scenarios/health/v1.jsonl", Cancellation);
        Assert.NotNull(stored);
        Assert.Equal(info.Sha256, stored.Sha256);
        Assert.Equal("application/jsonl", stored.ContentType);
        Assert.Equal(bytes.Length, stored.Length);
        Assert.Equal("health-v1", stored.Metadata["setId"]);
        Assert.Equal(bytes, await ReadAllAsync("scenarios/health/v1.jsonl"));
    }

    [Fact]
    public async Task PutAsync_NonSeekable64MiBStream_StreamsInBlocksAndHashMatches()
    {
        const long length = 64L * 1024 * 1024;
        await using var content = new GeneratedStream(length, seed: 42);
        Assert.False(content.CanSeek);

        var info = await _store.PutAsync("checkpoints/large/model.safetensors", content, "application/octet-stream", cancellationToken: Cancellation);

        Assert.Equal(length, info.Length);
        Assert.Equal(content.Sha256, info.Sha256);
        await using var read = await _store.OpenReadAsync("checkpoints/large/model.safetensors", Cancellation);
        Assert.Equal(length, read.Length);
        Assert.Equal(info.Sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(read, Cancellation)));
    }

    [Fact]
    public async Task PutAsync_MultiBlockContent_ReadsBackIdenticalFromAnyOffset()
    {
        var store = fixture.CreateArtifactStore(StorageFixture.UniqueContainerName("blocks"), blockSizeBytes: 64 * 1024);
        var bytes = new byte[(64 * 1024 * 5) + 123];
        new Random(7).NextBytes(bytes);

        var info = await store.PutAsync("metrics/run.bin", new MemoryStream(bytes), "application/octet-stream", cancellationToken: Cancellation);

        Assert.Equal(Sha256Of(bytes), info.Sha256);
        await using var read = await store.OpenReadAsync("metrics/run.bin", Cancellation);
        read.Seek(200_000, SeekOrigin.Begin);
        var tail = new MemoryStream();
        await read.CopyToAsync(tail, Cancellation);
        Assert.Equal(bytes.AsSpan(200_000).ToArray(), tail.ToArray());
    }

    [Fact]
    public async Task PutAsync_SameContentTwice_IsNoOpReturningStoredInfo()
    {
        var bytes = Encoding.UTF8.GetBytes("same bytes");
        var first = await _store.PutAsync("reports/r1/report.json", new MemoryStream(bytes), "application/json", cancellationToken: Cancellation);

        var second = await _store.PutAsync("reports/r1/report.json", new MemoryStream(bytes), "application/json", cancellationToken: Cancellation);

        Assert.Equal(first.Sha256, second.Sha256);
        Assert.Equal(first.LastModified, second.LastModified);
    }

    [Fact]
    public async Task PutAsync_ConcurrentSameLargeContent_BothSucceedWithOneVersion()
    {
        var store = fixture.CreateArtifactStore(StorageFixture.UniqueContainerName("race"), blockSizeBytes: 64 * 1024);
        var bytes = new byte[64 * 1024 * 3];
        new Random(3).NextBytes(bytes);

        var results = await Task.WhenAll(
            store.PutAsync("checkpoints/race/model.bin", new MemoryStream(bytes), "application/octet-stream", cancellationToken: Cancellation),
            store.PutAsync("checkpoints/race/model.bin", new MemoryStream(bytes), "application/octet-stream", cancellationToken: Cancellation));

        Assert.All(results, info => Assert.Equal(Sha256Of(bytes), info.Sha256));
        Assert.Equal(bytes, await ReadAllAsync("checkpoints/race/model.bin", store));
    }

    [Fact]
    public async Task PutAsync_ConcurrentDifferentLargeContent_OneWinsIntactAndTheOtherConflicts()
    {
        var store = fixture.CreateArtifactStore(StorageFixture.UniqueContainerName("clash"), blockSizeBytes: 64 * 1024);
        var first = new byte[64 * 1024 * 4];
        var second = new byte[64 * 1024 * 4];
        new Random(11).NextBytes(first);
        new Random(12).NextBytes(second);

        var attempts = new[] { first, second }
            .Select(bytes => store.PutAsync("checkpoints/clash/model.bin", new MemoryStream(bytes), "application/octet-stream", cancellationToken: Cancellation))
            .ToArray();
        await Task.WhenAll(attempts.Select(attempt => attempt.ContinueWith(static _ => { }, TaskScheduler.Default)));

        Assert.Single(attempts, attempt => attempt.IsCompletedSuccessfully);
        Assert.IsType<ArtifactConflictException>(Assert.Single(attempts, attempt => attempt.IsFaulted).Exception!.InnerException);
        var stored = await ReadAllAsync("checkpoints/clash/model.bin", store);
        var info = await store.GetInfoAsync("checkpoints/clash/model.bin", Cancellation);
        Assert.Equal(Sha256Of(stored), info!.Sha256);
        Assert.True(stored.SequenceEqual(first) || stored.SequenceEqual(second));
    }

    [Fact]
    public async Task PutAsync_DifferentContentAtExistingPath_ThrowsConflictAndKeepsOriginal()
    {
        await _store.PutAsync("experiments/e1/experiment.json", new MemoryStream("v1"u8.ToArray()), "application/json", cancellationToken: Cancellation);

        var conflict = await Assert.ThrowsAsync<ArtifactConflictException>(() =>
            _store.PutAsync("experiments/e1/experiment.json", new MemoryStream("v2"u8.ToArray()), "application/json", cancellationToken: Cancellation));

        Assert.Equal("experiments/e1/experiment.json", conflict.Path);
        Assert.Equal(Sha256Of("v1"u8.ToArray()), conflict.ExistingSha256);
        Assert.Equal(Sha256Of("v2"u8.ToArray()), conflict.NewSha256);
        Assert.Equal("v1"u8.ToArray(), await ReadAllAsync("experiments/e1/experiment.json"));
    }

    [Fact]
    public async Task PutAsync_DifferentContentWithReplaceMode_ReplacesContent()
    {
        await _store.PutAsync("experiments/e2/experiment.json", new MemoryStream("v1"u8.ToArray()), "application/json", cancellationToken: Cancellation);

        var info = await _store.PutAsync("experiments/e2/experiment.json", new MemoryStream("v2"u8.ToArray()), "application/json", ArtifactWriteMode.Replace, cancellationToken: Cancellation);

        Assert.Equal(Sha256Of("v2"u8.ToArray()), info.Sha256);
        Assert.Equal("v2"u8.ToArray(), await ReadAllAsync("experiments/e2/experiment.json"));
    }

    [Fact]
    public async Task PutContentAddressedAsync_AnyContent_StoresUnderItsHashOnce()
    {
        var bytes = Encoding.UTF8.GetBytes("checkpoint weights");
        var expectedPath = $"checkpoints/blobs/{Sha256Of(bytes)}.safetensors";

        var first = await _store.PutContentAddressedAsync("checkpoints/blobs/", ".safetensors", new MemoryStream(bytes), "application/octet-stream", Cancellation);
        var second = await _store.PutContentAddressedAsync("checkpoints/blobs", ".safetensors", new MemoryStream(bytes), "application/octet-stream", Cancellation);

        Assert.Equal(expectedPath, first.Path);
        Assert.Equal(first.Path, second.Path);
        Assert.Equal(first.LastModified, second.LastModified);
        Assert.Equal(bytes, await ReadAllAsync(expectedPath));
    }

    [Fact]
    public async Task OpenReadAsync_MissingPath_ThrowsArtifactNotFoundException()
    {
        var missing = await Assert.ThrowsAsync<ArtifactNotFoundException>(() => _store.OpenReadAsync("nothing/here.bin", Cancellation));

        Assert.Equal("nothing/here.bin", missing.Path);
    }

    [Fact]
    public async Task GetInfoAsync_MissingPath_ReturnsNull()
    {
        Assert.Null(await _store.GetInfoAsync("nothing/here.bin", Cancellation));
    }

    [Fact]
    public async Task ListAsync_Prefix_ReturnsOnlyMatchingArtifactsInPathOrder()
    {
        foreach (var path in new[] { "benchmarks/run-2/items.jsonl", "benchmarks/run-1/summary.json", "benchmarks/run-1/items.jsonl", "reports/x/report.json" })
        {
            await _store.PutAsync(path, new MemoryStream(Encoding.UTF8.GetBytes(path)), "application/json", cancellationToken: Cancellation);
        }

        var listed = await _store.ListAsync("benchmarks/run-1/", Cancellation).ToListAsync(Cancellation);

        Assert.Equal(["benchmarks/run-1/items.jsonl", "benchmarks/run-1/summary.json"], listed.Select(info => info.Path));
        Assert.All(listed, info => Assert.Equal(Sha256Of(Encoding.UTF8.GetBytes(info.Path)), info.Sha256));
    }

    [Fact]
    public async Task DeleteAsync_ExistingThenMissing_ReturnsTrueThenFalse()
    {
        await _store.PutAsync("tmp/delete-me.txt", new MemoryStream("x"u8.ToArray()), "text/plain", cancellationToken: Cancellation);

        Assert.True(await _store.DeleteAsync("tmp/delete-me.txt", Cancellation));
        Assert.False(await _store.DeleteAsync("tmp/delete-me.txt", Cancellation));
        Assert.Null(await _store.GetInfoAsync("tmp/delete-me.txt", Cancellation));
    }

    [Theory]
    [InlineData("/leading-slash.txt")]
    [InlineData("trailing/")]
    [InlineData("a/../escape.txt")]
    [InlineData("back\\slash.txt")]
    [InlineData("double//slash.txt")]
    public async Task PutAsync_InvalidPath_ThrowsArgumentExceptionNamingThePath(string path)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _store.PutAsync(path, new MemoryStream([1]), "application/octet-stream", cancellationToken: Cancellation));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutAsync_ReservedMetadataName_ThrowsArgumentException()
    {
        var metadata = new Dictionary<string, string> { ["sha256"] = "forged" };

        await Assert.ThrowsAsync<ArgumentException>(() => _store.PutAsync("a/b.txt", new MemoryStream([1]), "text/plain", metadata: metadata, cancellationToken: Cancellation));
    }

    [Fact]
    public async Task AddBlobArtifactStore_HostStarts_CreatesContainerAndResolvesStore()
    {
        var container = StorageFixture.UniqueContainerName("di");
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddBlobArtifactStore(fixture.Azurite.ConnectionString, options => options.ContainerName = container);
        using var host = builder.Build();

        await host.StartAsync(Cancellation);
        var exists = await fixture.BlobServiceClient.GetBlobContainerClient(container).ExistsAsync(Cancellation);
        var store = host.Services.GetRequiredService<IArtifactStore>();
        var info = await store.PutAsync("hello.txt", new MemoryStream("hi"u8.ToArray()), "text/plain", cancellationToken: Cancellation);
        await host.StopAsync(Cancellation);

        Assert.True(exists.Value);
        Assert.Equal(Sha256Of("hi"u8.ToArray()), info.Sha256);
    }

    private static string Sha256Of(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private async Task<byte[]> ReadAllAsync(string path, IArtifactStore? store = null)
    {
        await using var stream = await (store ?? _store).OpenReadAsync(path, Cancellation);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Cancellation);
        return copy.ToArray();
    }
}
