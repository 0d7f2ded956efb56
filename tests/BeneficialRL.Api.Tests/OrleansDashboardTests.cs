using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BeneficialRL.Api.Tests.Infrastructure;

namespace BeneficialRL.Api.Tests;

/// <summary>The Orleans dashboard shows every tenant's grains: only the operator tenant's admins may open it.</summary>
[Collection(ApiCollection.Name)]
public sealed class OrleansDashboardTests(ApiFixture fixture)
{
    private const string Dashboard = "/orleans-dashboard/";

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OrleansDashboard_WithoutKey_Is401WithBasicChallengeForBrowsers()
    {
        using var client = fixture.Client(null);
        var response = await client.GetAsync(Dashboard, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, challenge => challenge.Scheme == "Basic");
    }

    [Fact]
    public async Task OrleansDashboard_ReadKey_Is403()
    {
        var (_, key, _) = await fixture.CreateKeyAsync(null, "read");
        using var client = fixture.Client(key);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(Dashboard, Ct)).StatusCode);
    }

    [Fact]
    public async Task OrleansDashboard_AdminOfAnotherTenant_Is403()
    {
        var (_, key, _) = await fixture.CreateKeyAsync(null, "admin");
        using var client = fixture.Client(key);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(Dashboard, Ct)).StatusCode);
    }

    [Fact]
    public async Task OrleansDashboard_OperatorAdminKey_Is200WithThePage()
    {
        using var client = fixture.Client(ApiFixture.OperatorKey);
        var page = await client.GetAsync(Dashboard, Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task OrleansDashboard_OperatorKeyAsBasicPassword_Is200()
    {
        using var client = fixture.Client(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, Dashboard);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"operator:{ApiFixture.OperatorKey}")));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request, Ct)).StatusCode);
    }
}
