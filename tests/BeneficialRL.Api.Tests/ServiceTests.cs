using System.Net;
using BeneficialRL.Api.Tests.Infrastructure;

namespace BeneficialRL.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class ServiceTests(ApiFixture fixture)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_LiveAndReady_AreHealthyWithoutAKey()
    {
        using var client = fixture.Client(null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live", Ct)).StatusCode);
        var ready = await client.GetAsync("/health/ready", Ct);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesEveryArea()
    {
        using var client = fixture.Client(null);
        var document = await (await client.GetAsync("/openapi/v1.json", Ct)).JsonAsync();
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var expected in new[] { "/api/v1/experiments", "/api/v1/experiments/{id}/events", "/api/v1/scenario-sets/{id}/versions", "/api/v1/checkpoints/{id}/weights", "/api/v1/benchmark-runs/{id}/items", "/api/v1/api-keys" })
        {
            Assert.Contains(expected, paths);
        }
    }

    [Fact]
    public async Task OpenApiDocument_DescribesUploadBodies()
    {
        // Upload routes carry no Accepts(...) metadata (it made routing answer 415 before auth); the document still says what they take.
        using var client = fixture.Client(null);
        var paths = (await (await client.GetAsync("/openapi/v1.json", Ct)).JsonAsync()).GetProperty("paths");
        foreach (var (path, mediaType) in new[]
        {
            ("/api/v1/checkpoints", "application/octet-stream"), ("/api/v1/checkpoints", "multipart/form-data"),
            ("/api/v1/benchmarks", "multipart/form-data"), ("/api/v1/scenario-sets/{id}/versions", "application/x-ndjson"),
        })
        {
            var content = paths.GetProperty(path).GetProperty("post").GetProperty("requestBody").GetProperty("content");
            Assert.True(content.TryGetProperty(mediaType, out _), $"POST {path} does not document {mediaType}: {content}");
        }
    }

    [Fact]
    public async Task Cluster_ListsThisSiloWithBothRoles()
    {
        using var client = await fixture.NewTenantClientAsync();
        var cluster = await (await client.GetAsync("/api/v1/cluster", Ct)).JsonAsync();
        var silo = cluster.GetProperty("silos").EnumerateArray().Single(s => s.GetProperty("name").GetString() == fixture.SiloName);
        Assert.Equal(["api", "trainer"], silo.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("Active", silo.GetProperty("status").GetString());
    }
}
