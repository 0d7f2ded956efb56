using System.Net;
using System.Net.Http.Json;
using BeneficialRL.Api.Tests.Infrastructure;

namespace BeneficialRL.Api.Tests;

/// <summary>Headers that protect clients whatever answers: type sniffing off everywhere, secrets never cached.</summary>
[Collection(ApiCollection.Name)]
public sealed class ResponseHeadersTests(ApiFixture fixture)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Responses_OfEveryKind_CarryNosniff()
    {
        using var anonymous = fixture.Client(null);
        using var client = await fixture.NewTenantClientAsync();
        var responses = new[]
        {
            await anonymous.GetAsync("/health/live", Ct),
            await anonymous.GetAsync("/openapi/v1.json", Ct),
            await anonymous.GetAsync("/api/v1/experiments", Ct),
            await client.GetAsync("/api/v1/experiments", Ct),
            await client.GetAsync("/api/v1/experiments/exp_missing", Ct),
            await client.PostAsync("/api/v1/experiments", new StringContent("{", System.Text.Encoding.UTF8, "application/json"), Ct),
            await client.GetAsync("/api/v1/no-such-route", Ct),
        };
        Assert.All(responses, r => Assert.True(r.Headers.TryGetValues("X-Content-Type-Options", out var values) && values.Single() == "nosniff",
            $"{r.RequestMessage!.Method} {r.RequestMessage.RequestUri} ({(int)r.StatusCode}) has no nosniff"));
        // The policy is for HTML pages (reports); JSON and problem documents do not need it.
        Assert.All(responses, r => Assert.False(r.Headers.Contains("Content-Security-Policy")));
    }

    [Fact]
    public async Task ApiKeyCreate_ResponseWithTheSecret_IsNoStore_AlsoWhenReplayed()
    {
        using var admin = await fixture.NewTenantClientAsync();
        HttpRequestMessage Create() => new(HttpMethod.Post, "/api/v1/api-keys")
        {
            Content = JsonContent.Create(new { name = "ci", scopes = new[] { "read" } }),
            Headers = { { "Idempotency-Key", "key-once" } },
        };

        var first = await admin.SendAsync(Create(), Ct);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.True(first.Headers.CacheControl?.NoStore, first.Headers.CacheControl?.ToString());
        var replay = await admin.SendAsync(Create(), Ct);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.True(replay.Headers.CacheControl?.NoStore, replay.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task ApiKeyCreate_ReplayedByIdempotencyKey_ReturnsTheSecretWhichNoGrainStateBlobHolds()
    {
        using var admin = await fixture.NewTenantClientAsync();
        var idempotencyKey = Guid.NewGuid().ToString();
        HttpRequestMessage Create() => new(HttpMethod.Post, "/api/v1/api-keys")
        {
            Content = JsonContent.Create(new { name = "sealed", scopes = new[] { "read" } }),
            Headers = { { "Idempotency-Key", idempotencyKey } },
        };

        var first = await (await admin.SendAsync(Create(), Ct)).JsonAsync();
        var replay = await admin.SendAsync(Create(), Ct);
        var secret = first.GetProperty("secret").GetString()!;

        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(secret, (await replay.JsonAsync()).GetProperty("secret").GetString());
        var blobs = new Azure.Storage.Blobs.BlobServiceClient(fixture.AzuriteConnectionString);
        var secretBytes = System.Text.Encoding.UTF8.GetBytes(secret);
        var read = 0;
        // Grain state lives in the service's container, grainstate-{serviceId}.
        await foreach (var item in blobs.GetBlobContainersAsync(prefix: "grainstate", cancellationToken: Ct))
        {
            var container = blobs.GetBlobContainerClient(item.Name);
            await foreach (var blob in container.GetBlobsAsync(cancellationToken: Ct))
            {
                var content = (await container.GetBlobClient(blob.Name).DownloadContentAsync(Ct)).Value.Content.ToArray();
                Assert.True(content.AsSpan().IndexOf(secretBytes) < 0, $"{blob.Name} holds the new key's secret.");
                read++;
            }
        }

        Assert.True(read > 0, "No grain state was read.");
    }
}
