using System.Net;
using System.Net.Sockets;
using Azure;
using BeneficialRL.Storage.Blobs;
using BeneficialRL.Storage.Resilience;
using BeneficialRL.Storage.Tests.Infrastructure;
using Polly.Timeout;

namespace BeneficialRL.Storage.Tests.Resilience;

[Collection(StorageCollection.Name)]
public sealed class BlobStorageResilienceTests(StorageFixture fixture)
{
    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(0)]
    public void IsTransient_RetryableStatus_ReturnsTrue(int status)
    {
        Assert.True(BlobStorageResilience.IsTransient(new RequestFailedException(status, "transient")));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(412)]
    public void IsTransient_ClientOrConcurrencyStatus_ReturnsFalse(int status)
    {
        Assert.False(BlobStorageResilience.IsTransient(new RequestFailedException(status, "not transient")));
    }

    [Fact]
    public void IsTransient_NetworkAndTimeoutFailures_ReturnsTrue()
    {
        Assert.True(BlobStorageResilience.IsTransient(new HttpRequestException("reset")));
        Assert.True(BlobStorageResilience.IsTransient(new IOException("broken pipe")));
        Assert.True(BlobStorageResilience.IsTransient(new SocketException((int)SocketError.ConnectionReset)));
        Assert.True(BlobStorageResilience.IsTransient(new TimeoutRejectedException()));
        Assert.False(BlobStorageResilience.IsTransient(new HttpRequestException("forbidden", null, HttpStatusCode.Forbidden)));
        Assert.False(BlobStorageResilience.IsTransient(new OperationCanceledException()));
        Assert.False(BlobStorageResilience.IsTransient(new InvalidOperationException()));
    }

    [Fact]
    public async Task Pipeline_ServerFailsFirstRequestWith503_RetriesAndSucceeds()
    {
        await using var proxy = new FailingFirstRequestsProxy(fixture.Azurite.BlobPort, failures: 1);
        proxy.Start();
        var client = BlobStorageClients.Create(fixture.Azurite.ConnectionString.Replace(
            $"127.0.0.1:{fixture.Azurite.BlobPort}", $"127.0.0.1:{proxy.Port}", StringComparison.Ordinal));
        var pipeline = BlobStorageResilience.Build(new BlobResilienceOptions { BaseDelay = TimeSpan.FromMilliseconds(10) });
        var store = fixture.CreateArtifactStore(StorageFixture.UniqueContainerName("flaky"), client, pipeline);

        var info = await store.PutAsync("retried.txt", new MemoryStream("survived"u8.ToArray()), "text/plain", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, proxy.FailedConnections);
        Assert.True(proxy.ForwardedConnections >= 1);
        Assert.Equal(8, info.Length);
    }

    [Fact]
    public async Task Pipeline_WithoutRetries_SurfacesThe503()
    {
        await using var proxy = new FailingFirstRequestsProxy(fixture.Azurite.BlobPort, failures: 1);
        proxy.Start();
        var client = BlobStorageClients.Create(fixture.Azurite.ConnectionString.Replace(
            $"127.0.0.1:{fixture.Azurite.BlobPort}", $"127.0.0.1:{proxy.Port}", StringComparison.Ordinal));
        var pipeline = BlobStorageResilience.Build(new BlobResilienceOptions { MaxRetryAttempts = 0 });
        var store = fixture.CreateArtifactStore(StorageFixture.UniqueContainerName("noretry"), client, pipeline);

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() =>
            store.PutAsync("failed.txt", new MemoryStream("x"u8.ToArray()), "text/plain", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(503, failure.Status);
    }

    [Fact]
    public async Task Pipeline_ChaosFaultsLatencyAndHangs_AreAbsorbedAndEveryBlobReadsBack()
    {
        var injected = new System.Collections.Concurrent.ConcurrentBag<string>();
        var options = new BlobResilienceOptions
        {
            BaseDelay = TimeSpan.FromMilliseconds(5),
            MaxRetryAttempts = 8,
            AttemptTimeout = TimeSpan.FromMilliseconds(300),
            MinimumThroughput = int.MaxValue, // the breaker would open on a 30% fault rate: this test is about retries
            Chaos = new BlobChaosOptions { FaultRate = 0.3, LatencyRate = 0.2, Latency = TimeSpan.FromMilliseconds(20), TimeoutRate = 0.15, Seed = 7, Injected = injected.Add },
        };
        var store = fixture.CreateArtifactStore(StorageFixture.UniqueContainerName("chaos"), pipeline: BlobStorageResilience.Build(options));
        var ct = TestContext.Current.CancellationToken;

        for (var i = 0; i < 20; i++)
        {
            await store.PutAsync($"blob-{i}.txt", new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"content {i}")), "text/plain", cancellationToken: ct);
        }

        for (var i = 0; i < 20; i++)
        {
            await using var stream = await store.OpenReadAsync($"blob-{i}.txt", ct);
            using var reader = new StreamReader(stream);
            Assert.Equal($"content {i}", await reader.ReadToEndAsync(ct));
        }

        Assert.Contains("fault", injected);
        Assert.Contains("latency", injected);
        Assert.Contains("timeout", injected);
    }

    [Theory]
    [InlineData(-0.1, 0, 0)]
    [InlineData(0, 1.5, 0)]
    [InlineData(0, 0, double.NaN)]
    public void Build_ChaosRateOutsideZeroToOne_ThrowsNamingTheSetting(double fault, double latency, double timeout)
    {
        var options = new BlobResilienceOptions { Chaos = new BlobChaosOptions { FaultRate = fault, LatencyRate = latency, TimeoutRate = timeout } };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => BlobStorageResilience.Build(options));
        Assert.Contains("Storage:Resilience:Chaos:", error.Message, StringComparison.Ordinal);
    }
}
