using System.Net;
using BeneficialRL.Api.Tests.Infrastructure;
using BeneficialRL.SiloHost.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace BeneficialRL.Api.Tests;

/// <summary>
/// Unknown keys must not cost a grain call each: a repeated one is answered from the cache of refusals, and an
/// address that keeps failing is throttled before any lookup. Asserted on the guard's counters, never on timing.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Limits")]
public sealed class ApiKeyGuardTests(ApiFixture fixture)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UnknownKey_PresentedRepeatedly_IsLookedUpInItsGrainOnce()
    {
        await using var host = await LimitedHost.StartAsync(fixture, new Dictionary<string, string?>(), Ct);
        var guard = host.Services.GetRequiredService<ApiKeyGuard>();
        using var client = host.Client($"brl_unknown-{Guid.NewGuid():N}");
        var lookupsBefore = guard.KeyLookups;
        var hitsBefore = guard.NegativeCacheHits;

        for (var i = 0; i < 20; i++)
        {
            var problem = await (await client.GetAsync("/api/v1/experiments", Ct)).AssertProblemAsync(HttpStatusCode.Unauthorized);
            Assert.Contains("not known", problem.GetProperty("detail").GetString());
        }

        Assert.Equal(1, guard.KeyLookups - lookupsBefore);
        Assert.Equal(19, guard.NegativeCacheHits - hitsBefore);
    }

    [Fact]
    public async Task UnknownKeys_FloodOfDistinctKeys_StopsReachingGrainsAfterTheAddressBudget()
    {
        await using var host = await LimitedHost.StartAsync(fixture, new Dictionary<string, string?>
        {
            ["Auth:FailedAttemptsPerAddress"] = "5",
            ["Auth:FailedAttemptWindow"] = "01:00:00",
        }, Ct);
        var guard = host.Services.GetRequiredService<ApiKeyGuard>();
        var lookupsBefore = guard.KeyLookups;
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 30; i++)
        {
            using var client = host.Client($"brl_flood-{i}-{Guid.NewGuid():N}");
            responses.Add(await client.GetAsync("/api/v1/experiments", Ct));
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), responses.Take(5).Select(r => r.StatusCode));
        Assert.All(responses.Skip(5), r => Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode));
        var last = responses[^1];
        var problem = await last.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("failed-authentications", problem.GetProperty("limit").GetString());
        Assert.NotNull(last.Headers.RetryAfter);
        Assert.Equal(5, guard.KeyLookups - lookupsBefore);
        Assert.Equal(25, guard.ThrottledAttempts);
    }

    [Fact]
    public async Task ValidKey_FromAnAddressThrottledForBadKeys_IsNotLockedOut()
    {
        await using var host = await LimitedHost.StartAsync(fixture, new Dictionary<string, string?>
        {
            ["Auth:FailedAttemptsPerAddress"] = "3",
            ["Auth:FailedAttemptWindow"] = "01:00:00",
        }, Ct);
        using var valid = host.Client(host.OperatorKey);
        Assert.Equal(HttpStatusCode.OK, (await valid.GetAsync("/api/v1/experiments", Ct)).StatusCode);

        for (var i = 0; i < 5; i++)
        {
            using var bad = host.Client($"brl_bad-{i}-{Guid.NewGuid():N}");
            await bad.GetAsync("/api/v1/experiments", Ct);
        }

        using var another = host.Client($"brl_bad-next-{Guid.NewGuid():N}");
        await (await another.GetAsync("/api/v1/experiments", Ct)).AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, (await valid.GetAsync("/api/v1/experiments", Ct)).StatusCode);
    }
}
