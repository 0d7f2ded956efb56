using System.Net;
using BeneficialRL.Api.Tests.Infrastructure;
using BeneficialRL.Dashboard.Tests.Infrastructure;

namespace BeneficialRL.Dashboard.Tests;

/// <summary>What the dashboard stands on, over plain HTTP: the page and its pinned assets, its security headers, and the routes added for it refusing bad input and other tenants.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardHttpTests(DashboardFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Page_IsServedWithoutAKey_WithASelfOnlyPolicy_AndUPlotFromTheBuild()
    {
        using var anonymous = fixture.Api.Client(null);
        var page = await anonymous.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("http", policy, StringComparison.Ordinal); // no other origin
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());

        var uplot = await anonymous.GetAsync("/ui/vendor/uPlot.esm.js", Ct);
        Assert.Equal(HttpStatusCode.OK, uplot.StatusCode);
        Assert.Contains("uPlot", await uplot.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // The data is the API's: without a key the page gets nothing.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/experiments/{fixture.ExperimentId}/paired", Ct)).StatusCode);
    }

    [Fact]
    public async Task AddedRoutes_BadQueryIs400NamingTheField_AnotherTenantsExperimentIs404()
    {
        using var client = fixture.Api.Client(fixture.Key);
        var id = fixture.ExperimentId;
        var problem = await (await client.GetAsync($"/api/v1/experiments/{id}/paired/any/items?order=sideways", Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("order", problem.GetProperty("field").GetString());
        problem = await (await client.GetAsync($"/api/v1/experiments/{id}/runs/treatment-s1/samples?limit=0", Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("limit", problem.GetProperty("field").GetString());
        problem = await (await client.GetAsync($"/api/v1/experiments/{id}/runs/treatment-s1/samples?continuationToken=x", Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("continuationToken", problem.GetProperty("field").GetString());
        await (await client.GetAsync($"/api/v1/experiments/{id}/runs/nobody-s9/samples", Ct)).AssertProblemAsync(HttpStatusCode.NotFound);

        var (_, otherKey, _) = await fixture.Api.CreateKeyAsync();
        using var other = fixture.Api.Client(otherKey);
        foreach (var path in new[] { $"/api/v1/experiments/{id}/paired", $"/api/v1/experiments/{id}/paired/any/items", $"/api/v1/experiments/{id}/runs/treatment-s1/samples", $"/api/v1/experiments/{id}/runs/treatment-s1/held-out" })
            await (await other.GetAsync(path, Ct)).AssertProblemAsync(HttpStatusCode.NotFound);

        var presets = await (await client.GetAsync("/api/v1/experiment-presets", Ct)).JsonAsync();
        Assert.Contains(presets.EnumerateArray(), p => p.GetProperty("name").GetString() == "quick" && p.GetProperty("definition").GetProperty("budget").GetProperty("steps").GetInt32() == 4);
    }

    [Fact]
    public async Task HeldOutCurve_CompletedQuick_HasTheBaseAndEveryCheckpoint_AsTheReportDoes()
    {
        await fixture.CompletedAsync();
        using var client = fixture.Api.Client(fixture.Key);
        var curve = await (await client.GetAsync($"/api/v1/experiments/{fixture.ExperimentId}/runs/treatment-s1/held-out", Ct)).JsonAsync();
        var points = curve.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal([0L, 2, 4], points.Select(p => p.GetProperty("step").GetInt64()).ToArray());

        var report = await (await client.GetAsync($"/api/v1/experiments/{fixture.ExperimentId}/report", Ct)).JsonAsync();
        var reported = report.GetProperty("analysis").GetProperty("curves").EnumerateArray().Single(c => c.GetProperty("arm").GetString() == "treatment")
            .GetProperty("checkpoints").EnumerateArray().Select(p => p.GetProperty("heldOutScore").GetDouble()).ToArray();
        Assert.Equal(reported, points.Select(p => p.GetProperty("heldOutScore").GetDouble()).ToArray());
    }
}
