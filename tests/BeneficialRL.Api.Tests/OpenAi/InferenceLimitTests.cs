using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using BeneficialRL.Api.Tests.Infrastructure;
using BeneficialRL.SiloHost.Limits;
using Microsoft.Extensions.DependencyInjection;

namespace BeneficialRL.Api.Tests.OpenAi;

/// <summary>The per-tenant cap on running inference requests: past it, 429 with Retry-After in OpenAI's envelope.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "OpenAI")]
public sealed class InferenceLimitTests(ApiFixture fixture)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Completion_TenantAtItsConcurrencyLimit_Is429WithRetryAfter_AndServedOnceASlotFrees()
    {
        await using var host = await LimitedHost.StartAsync(fixture, new Dictionary<string, string?>
        {
            ["Silo:Roles"] = "api,trainer",
            ["RateLimits:InferenceRequestsPerTenant"] = "1",
        }, Ct);
        var (tenant, key) = await host.CreateKeyAsync();
        using var client = host.Client(key);
        var (weights, meta) = TinyPolicies.Create(ServedCheckpoint.Corpus);
        var imported = await client.PostAsync("/api/v1/checkpoints?name=limited", TinyPolicies.Form(weights, meta), Ct);
        var id = (await imported.JsonAsync()).GetProperty("id").GetString();
        var request = new { model = id, prompt = "The doctor said", max_tokens = 2 };

        // The tenant's one slot is held, as by a request still running.
        var held = host.Services.GetRequiredService<InferenceAdmission>().TryEnter(tenant);
        Assert.NotNull(held);
        var refused = await client.PostAsJsonAsync("/v1/completions", request, Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture) >= 1);
        var error = (await refused.JsonAsync()).GetProperty("error");
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("requests", error.GetProperty("type").GetString());

        // Another tenant is not limited by this one.
        var (_, otherKey) = await host.CreateKeyAsync();
        using var other = host.Client(otherKey);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync("/v1/completions", request, Ct)).StatusCode);

        held.Dispose();
        var served = await client.PostAsJsonAsync("/v1/completions", request, Ct);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        // The finished request gave its slot back.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/v1/completions", request, Ct)).StatusCode);
    }
}
