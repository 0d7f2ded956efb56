using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using BeneficialRL.Api.Tests.Infrastructure;
using BeneficialRL.Scenarios.Generation;
using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class ScenarioSetsApiTests(ApiFixture fixture)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string GeneratedJsonl(int count, long seed = 7)
    {
        var writer = new StringWriter { NewLine = "\n" };
        ScenarioJsonl.Write(writer, new ScenarioGenerator().GenerateTraining(seed, perCell: 1).Take(count));
        return writer.ToString();
    }

    private static StringContent Jsonl(string text)
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        return content;
    }

    private async Task<(HttpClient Client, string Id)> NewSetAsync()
    {
        var client = await fixture.NewTenantClientAsync();
        var created = await (await client.PostAsJsonAsync("/api/v1/scenario-sets", new { name = "traits", description = "built-in sample" }, Ct)).JsonAsync();
        return (client, created.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task Upload_ValidJsonl_ReturnsVersionHash_AndDownloadsByteForByte()
    {
        var (client, id) = await NewSetAsync();
        using var _ = client;
        var jsonl = GeneratedJsonl(25);
        var response = await client.PostAsync($"/api/v1/scenario-sets/{id}/versions", Jsonl(jsonl), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var version = await response.JsonAsync();
        Assert.Equal(1, version.GetProperty("number").GetInt32());
        Assert.Equal(25, version.GetProperty("itemCount").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(jsonl))), version.GetProperty("sha256").GetString());

        var downloaded = await client.GetStringAsync(version.GetProperty("download").GetString(), Ct);
        Assert.Equal(jsonl, downloaded);

        // Retrying the same upload is a no-op; different content is version 2.
        var retry = await (await client.PostAsync($"/api/v1/scenario-sets/{id}/versions", Jsonl(jsonl), Ct)).JsonAsync();
        Assert.Equal(1, retry.GetProperty("number").GetInt32());
        var second = await (await client.PostAsync($"/api/v1/scenario-sets/{id}/versions", Jsonl(GeneratedJsonl(5, seed: 8)), Ct)).JsonAsync();
        Assert.Equal(2, second.GetProperty("number").GetInt32());
        var set = await (await client.GetAsync($"/api/v1/scenario-sets/{id}", Ct)).JsonAsync();
        Assert.Equal(2, set.GetProperty("versions").GetArrayLength());
    }

    [Fact]
    public async Task Upload_MalformedLine_Is400NamingTheLine_AndStoresNothing()
    {
        var (client, id) = await NewSetAsync();
        using var _ = client;
        var lines = GeneratedJsonl(6).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        lines[3] = lines[3][..(lines[3].Length / 2)]; // line 4 is cut in half
        var problem = await (await client.PostAsync($"/api/v1/scenario-sets/{id}/versions", Jsonl(string.Join('\n', lines)), Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(4, problem.GetProperty("line").GetInt32());
        Assert.Contains("Line 4", problem.GetProperty("detail").GetString());
        var set = await (await client.GetAsync($"/api/v1/scenario-sets/{id}", Ct)).JsonAsync();
        Assert.Equal(0, set.GetProperty("versions").GetArrayLength());
        var tenant = (await (await client.GetAsync("/api/v1/api-keys", Ct)).JsonAsync())[0].GetProperty("tenant").GetString();
        var stored = new List<string>();
        await foreach (var artifact in fixture.Artifacts.ListAsync($"tenants/{tenant}/", Ct)) stored.Add(artifact.Path);
        Assert.Empty(stored);
    }

    [Fact]
    public async Task Upload_UnknownTrait_Is400NamingLineAndField()
    {
        var (client, id) = await NewSetAsync();
        using var _ = client;
        var lines = GeneratedJsonl(3).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        var node = System.Text.Json.Nodes.JsonNode.Parse(lines[1])!;
        node["trait"] = "telepathy";
        lines[1] = node.ToJsonString();
        var problem = await (await client.PostAsync($"/api/v1/scenario-sets/{id}/versions", Jsonl(string.Join('\n', lines)), Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(2, problem.GetProperty("line").GetInt32());
        Assert.Equal("$.trait", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Upload_LargerThanLimit_Is413_AndStoresNothing()
    {
        var (client, id) = await NewSetAsync();
        using var _ = client;
        var line = GeneratedJsonl(1);
        var big = new StringBuilder();
        while (big.Length <= ApiFixture.MaxUploadBytes) big.Append(line);
        await (await client.PostAsync($"/api/v1/scenario-sets/{id}/versions", Jsonl(big.ToString()), Ct)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        var set = await (await client.GetAsync($"/api/v1/scenario-sets/{id}", Ct)).JsonAsync();
        Assert.Equal(0, set.GetProperty("versions").GetArrayLength());
    }

    [Fact]
    public async Task Upload_ToUnknownSet_Is404_AndSchemaIsServed()
    {
        using var client = await fixture.NewTenantClientAsync();
        await (await client.PostAsync("/api/v1/scenario-sets/ss_missing/versions", Jsonl(GeneratedJsonl(1)), Ct)).AssertProblemAsync(HttpStatusCode.NotFound);
        var schema = await client.GetAsync("/api/v1/schemas/scenario", Ct);
        Assert.Equal(HttpStatusCode.OK, schema.StatusCode);
        Assert.Contains("rubric", await schema.Content.ReadAsStringAsync(Ct));
    }
}
