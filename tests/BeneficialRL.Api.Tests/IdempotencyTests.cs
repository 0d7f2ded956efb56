using System.Net;
using System.Net.Http.Json;
using BeneficialRL.Api.Tests.Infrastructure;

namespace BeneficialRL.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class IdempotencyTests(ApiFixture fixture)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpRequestMessage Post(string url, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    [Fact]
    public async Task SameKeyTwice_CreatesOneResource_AndReplaysTheFirstResponse()
    {
        using var client = await fixture.NewTenantClientAsync();
        var first = await client.SendAsync(Post("/api/v1/experiments", new { name = "once" }, "retry-1"), Ct);
        var second = await client.SendAsync(Post("/api/v1/experiments", new { name = "once" }, "retry-1"), Ct);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal((await first.JsonAsync()).GetProperty("id").GetString(), (await second.JsonAsync()).GetProperty("id").GetString());
        var list = await (await client.GetAsync("/api/v1/experiments", Ct)).JsonAsync();
        Assert.Equal(1, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task SameKeyWithADifferentBody_Is422()
    {
        using var client = await fixture.NewTenantClientAsync();
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Post("/api/v1/experiments", new { name = "a" }, "k"), Ct)).StatusCode);
        var problem = await (await client.SendAsync(Post("/api/v1/experiments", new { name = "b" }, "k"), Ct)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Idempotency-Key", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task SameKeyInAnotherTenant_IsIndependent()
    {
        using var alice = await fixture.NewTenantClientAsync();
        using var bob = await fixture.NewTenantClientAsync();
        var a = await alice.SendAsync(Post("/api/v1/experiments", new { name = "x" }, "shared-key"), Ct);
        var b = await bob.SendAsync(Post("/api/v1/experiments", new { name = "x" }, "shared-key"), Ct);
        Assert.False(b.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(a.Headers.Location, b.Headers.Location);
    }

    [Fact]
    public async Task ConcurrentRetries_StillCreateOneResource()
    {
        using var client = await fixture.NewTenantClientAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.SendAsync(Post("/api/v1/experiments", new { name = "racy" }, "race"), Ct)));
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, r.StatusCode.ToString()));
        var list = await (await client.GetAsync("/api/v1/experiments", Ct)).JsonAsync();
        Assert.Equal(1, list.GetProperty("items").GetArrayLength());
    }
}
