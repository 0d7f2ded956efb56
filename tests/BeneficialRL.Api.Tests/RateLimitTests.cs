using System.Net;
using System.Net.Http.Json;
using BeneficialRL.Api.Tests.Infrastructure;

namespace BeneficialRL.Api.Tests;

/// <summary>
/// Per-tenant read and write budgets and the event-stream cap, on a host with lowered limits. Windows are an hour
/// long, so no test ever crosses one: they count requests, never time.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Limits")]
public sealed class RateLimitTests(ApiFixture fixture)
{
    private const string LongWindow = "01:00:00";

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reads_OverTenantBudget_Are429WithRetryAfterAndProblem()
    {
        await using var host = await LimitedHost.StartAsync(fixture, Limits(reads: 5, writes: 50), Ct);
        using var client = host.Client((await host.CreateKeyAsync()).Key);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/experiments", Ct)).StatusCode);
        }

        var refused = await client.GetAsync("/api/v1/experiments", Ct);
        var problem = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("reads", problem.GetProperty("limit").GetString());
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task Reads_TenantAExhausted_TenantBStillServed()
    {
        await using var host = await LimitedHost.StartAsync(fixture, Limits(reads: 3, writes: 50), Ct);
        using var alice = host.Client((await host.CreateKeyAsync()).Key);
        using var bob = host.Client((await host.CreateKeyAsync()).Key);
        for (var i = 0; i < 3; i++) await alice.GetAsync("/api/v1/experiments", Ct);
        await (await alice.GetAsync("/api/v1/experiments", Ct)).AssertProblemAsync(HttpStatusCode.TooManyRequests);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync("/api/v1/experiments", Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task Writes_OverTenantBudget_Are429WhileReadsStillPass()
    {
        await using var host = await LimitedHost.StartAsync(fixture, Limits(reads: 50, writes: 2), Ct);
        using var client = host.Client((await host.CreateKeyAsync()).Key);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/experiments", new { name = $"record {i}" }, Ct)).StatusCode);
        }

        var refused = await client.PostAsJsonAsync("/api/v1/experiments", new { name = "one too many" }, Ct);
        var problem = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("writes", problem.GetProperty("limit").GetString());
        Assert.NotNull(refused.Headers.RetryAfter);

        var list = await (await client.GetAsync("/api/v1/experiments", Ct)).JsonAsync();
        Assert.Equal(2, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task EventStreams_OverTenantCap_Are429UntilAClientDisconnects()
    {
        await using var host = await LimitedHost.StartAsync(fixture, new Dictionary<string, string?> { ["RateLimits:EventStreamsPerTenant"] = "1" }, Ct);
        var key = (await host.CreateKeyAsync()).Key;
        using var client = host.Client(key);
        // A record-only experiment stays queued, so its stream stays open until the client leaves.
        var created = await (await client.PostAsJsonAsync("/api/v1/experiments", new { name = "watched" }, Ct)).JsonAsync();
        var events = $"/api/v1/experiments/{created.GetProperty("id").GetString()}/events";

        var first = host.Client(key);
        var open = await first.GetAsync(events, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);

        var second = await client.GetAsync(events, HttpCompletionOption.ResponseHeadersRead, Ct);
        var problem = await second.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("event-streams", problem.GetProperty("limit").GetString());
        Assert.NotNull(second.Headers.RetryAfter);

        using var otherTenant = host.Client((await host.CreateKeyAsync()).Key);
        var theirs = await (await otherTenant.PostAsJsonAsync("/api/v1/experiments", new { name = "theirs" }, Ct)).JsonAsync();
        using (var theirStream = await otherTenant.GetAsync($"/api/v1/experiments/{theirs.GetProperty("id").GetString()}/events", HttpCompletionOption.ResponseHeadersRead, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, theirStream.StatusCode);
        }

        // Closing the connection aborts the request on the server, which releases the slot; the server notices
        // asynchronously, so wait for the condition (bounded), not for a fixed time.
        open.Dispose();
        first.Dispose();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode status;
        do
        {
            using var retry = await client.GetAsync(events, HttpCompletionOption.ResponseHeadersRead, Ct);
            status = retry.StatusCode;
            if (status == HttpStatusCode.TooManyRequests) await Task.Delay(50, Ct);
        }
        while (status == HttpStatusCode.TooManyRequests && DateTime.UtcNow < deadline);
        Assert.True(status == HttpStatusCode.OK, $"the stream slot was not freed within 30 s of the client disconnecting (last status {(int)status})");
    }

    private static Dictionary<string, string?> Limits(int reads, int writes) => new()
    {
        ["RateLimits:Window"] = LongWindow,
        ["RateLimits:ReadsPerWindow"] = reads.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimits:WritesPerWindow"] = writes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
