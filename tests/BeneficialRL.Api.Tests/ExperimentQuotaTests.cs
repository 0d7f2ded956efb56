using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BeneficialRL.Api.Tests.Infrastructure;
using BeneficialRL.Experiments.Specs;

namespace BeneficialRL.Api.Tests;

/// <summary>Bounds on steps and seeds and the per-tenant cost quota, checked when an experiment is submitted.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Limits")]
public sealed class ExperimentQuotaTests(ApiFixture fixture)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_WithMaxIntSteps_Is400NamingStepsAndTheLimit()
    {
        using var client = await fixture.NewTenantClientAsync();
        var quick = ExperimentPresets.Get("quick");
        var response = await PostDefinitionAsync(client, quick with { Budget = quick.Budget with { Steps = int.MaxValue } });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("$.definition.budget.steps", problem.GetProperty("field").GetString());
        Assert.Contains("10000", problem.GetProperty("detail").GetString());
        Assert.Equal(0, (await (await client.GetAsync("/api/v1/experiments", Ct)).JsonAsync()).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Create_WithTenThousandSeeds_Is400NamingSeedsAndTheLimit()
    {
        using var client = await fixture.NewTenantClientAsync();
        var response = await PostDefinitionAsync(client, ExperimentPresets.Get("quick") with { Seeds = [.. Enumerable.Range(1, 10_000).Select(i => (long)i)] });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("$.definition.seeds", problem.GetProperty("field").GetString());
        Assert.Contains("20", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Create_OverTenantCostQuota_Is400NamingTheBudgetAndQuota_OtherTenantsUnaffected()
    {
        var limited = $"t-{Guid.NewGuid():N}"[..20];
        await using var host = await LimitedHost.StartAsync(fixture, new Dictionary<string, string?>
        {
            [$"Quotas:TenantMaxExperimentCost:{limited}"] = "1000",
        }, Ct);
        using var client = host.Client((await host.CreateKeyAsync(limited)).Key);
        var quick = ExperimentPresets.Get("quick");

        var problem = await (await PostDefinitionAsync(client, quick)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("$.definition.budget", problem.GetProperty("field").GetString());
        Assert.Contains("quota of 1000", problem.GetProperty("detail").GetString());

        // The same definition passes validation for a tenant without the override; this host has no trainer, so it
        // then stops at the placement check (503), which comes after validation.
        using var other = host.Client((await host.CreateKeyAsync()).Key);
        await (await PostDefinitionAsync(other, quick)).AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
    }

    private async Task<HttpResponseMessage> PostDefinitionAsync(HttpClient client, ExperimentDefinition definition)
    {
        var json = JsonDocument.Parse(ExperimentJson.Serialize(definition)).RootElement;
        return await client.PostAsJsonAsync("/api/v1/experiments", new { definition = json }, Ct);
    }
}
