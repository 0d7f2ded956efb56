using System.Net;
using System.Net.Http.Json;
using BeneficialRL.Api.Tests.Infrastructure;

namespace BeneficialRL.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class AuthTests(ApiFixture fixture)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Request_WithoutKey_Is401WithBearerChallenge()
    {
        using var client = fixture.Client(null);
        var response = await client.GetAsync("/api/v1/experiments", Ct);
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Request_WithUnknownKey_Is401()
    {
        using var client = fixture.Client("brl_not-a-real-key");
        var problem = await (await client.GetAsync("/api/v1/experiments", Ct)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("not known", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Post_WithReadOnlyKey_Is403AndCreatesNothing()
    {
        var (tenant, key, _) = await fixture.CreateKeyAsync(null, "read");
        using var reader = fixture.Client(key);
        var response = await reader.PostAsJsonAsync("/api/v1/experiments", new { name = "nope" }, Ct);
        await response.AssertProblemAsync(HttpStatusCode.Forbidden);

        var list = await (await reader.GetAsync("/api/v1/experiments", Ct)).JsonAsync();
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
        Assert.NotNull(tenant);
    }

    [Fact]
    public async Task Get_OtherTenantsResource_Is404()
    {
        using var alice = await fixture.NewTenantClientAsync();
        using var bob = await fixture.NewTenantClientAsync();
        var created = await (await alice.PostAsJsonAsync("/api/v1/experiments", new { name = "alice's" }, Ct)).JsonAsync();
        var id = created.GetProperty("id").GetString();

        await (await bob.GetAsync($"/api/v1/experiments/{id}", Ct)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await bob.PostAsync($"/api/v1/experiments/{id}/cancel", null, Ct)).AssertProblemAsync(HttpStatusCode.NotFound);
        var bobsList = await (await bob.GetAsync("/api/v1/experiments", Ct)).JsonAsync();
        Assert.Equal(0, bobsList.GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync($"/api/v1/experiments/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task RevokedKey_StopsAuthenticating()
    {
        var (tenant, adminKey, _) = await fixture.CreateKeyAsync();
        using var admin = fixture.Client(adminKey);
        var created = await (await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "ci", scopes = new[] { "write" } }, Ct)).JsonAsync();
        Assert.Equal(tenant, created.GetProperty("tenant").GetString());
        using var ci = fixture.Client(created.GetProperty("secret").GetString());
        Assert.Equal(HttpStatusCode.OK, (await ci.GetAsync("/api/v1/experiments", Ct)).StatusCode);

        var revoke = await admin.DeleteAsync($"/api/v1/api-keys/{created.GetProperty("keyId").GetString()}", Ct);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        var problem = await (await ci.GetAsync("/api/v1/experiments", Ct)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("revoked", problem.GetProperty("detail").GetString());
        var keys = await (await admin.GetAsync("/api/v1/api-keys", Ct)).JsonAsync();
        Assert.DoesNotContain("secret", keys.GetRawText());
        Assert.Equal(2, keys.GetArrayLength());
    }

    [Fact]
    public async Task TenantAdmin_CannotCreateKeysForAnotherTenant()
    {
        var (_, adminKey, _) = await fixture.CreateKeyAsync();
        using var admin = fixture.Client(adminKey);
        var response = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "x", scopes = new[] { "read" }, tenant = "someone-else" }, Ct);
        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("tenant", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task CreateKey_WithUnknownScope_Is400NamingTheScope()
    {
        using var admin = await fixture.NewTenantClientAsync();
        var response = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "x", scopes = new[] { "read", "superuser" } }, Ct);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("$.scopes[1]", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task WriteKey_CannotManageKeys()
    {
        var (_, key, _) = await fixture.CreateKeyAsync(null, "write");
        using var writer = fixture.Client(key);
        await (await writer.GetAsync("/api/v1/api-keys", Ct)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }
}
