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
}
