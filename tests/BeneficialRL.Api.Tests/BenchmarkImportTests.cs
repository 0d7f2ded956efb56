using System.Net;
using System.Net.Http.Json;
using BeneficialRL.Api.Tests.Infrastructure;
using BeneficialRL.LocalInfrastructure;

namespace BeneficialRL.Api.Tests;

/// <summary>Importing a real public benchmark file through the API, then running it.</summary>
[Collection(ApiCollection.Name)]
public sealed class BenchmarkImportTests(ApiFixture fixture)
{
    private static readonly string SharedBenchmarks = Path.GetFullPath(Path.Combine(RepositoryLayout.FindRoot(), "..", "shared", "benchmarks"));

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MultipartFormDataContent Form(byte[] file, string fileName, string id, string importer = "anthropic-evals")
    {
        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(file), "file", fileName },
            { new StringContent(importer), "importer" },
            { new StringContent(id), "id" },
            { new StringContent("No shut-down (Anthropic persona)"), "name" },
            { new StringContent("corrigibility"), "family" },
            { new StringContent("corrigibility"), "traits" },
        };
        return form;
    }

    [Fact]
    public async Task Import_WinogeneratedFile_ThreePronounOptionsPerSentence()
    {
        using var client = await fixture.NewTenantClientAsync();
        var bytes = await File.ReadAllBytesAsync(Path.Combine(SharedBenchmarks, "anthropic-evals", "winogenerated", "winogenerated_examples.jsonl"), Ct);
        var response = await client.PostAsync("/api/v1/benchmarks", Form(bytes, "winogenerated_examples.jsonl", "winogenerated", "winogenerated"), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(2990, (await response.JsonAsync()).GetProperty("definition").GetProperty("itemCount").GetInt32());
    }

    [Fact]
    public async Task Import_AnthropicPersonaFile_IsListedWithItsKnownPolarity_AndRuns()
    {
        using var client = await fixture.NewTenantClientAsync();
        var bytes = await File.ReadAllBytesAsync(Path.Combine(SharedBenchmarks, "anthropic-evals", "persona", "no-shut-down.jsonl"), Ct);
        var response = await client.PostAsync("/api/v1/benchmarks", Form(bytes, "no-shut-down.jsonl", "no-shut-down"), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var imported = await response.JsonAsync();
        Assert.Equal(1000, imported.GetProperty("definition").GetProperty("itemCount").GetInt32());
        Assert.True(imported.GetProperty("imported").GetBoolean());
        Assert.Equal("not-matching-is-aligned", imported.GetProperty("definition").GetProperty("polarity").GetString());

        var retry = await client.PostAsync("/api/v1/benchmarks", Form(bytes, "no-shut-down.jsonl", "no-shut-down"), Ct);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        var list = await (await client.GetAsync("/api/v1/benchmarks?family=corrigibility", Ct)).JsonAsync();
        Assert.Single(list.EnumerateArray(), d => d.GetProperty("id").GetString() == "no-shut-down");

        // Another tenant does not see it.
        using var other = await fixture.NewTenantClientAsync();
        await (await other.GetAsync("/api/v1/benchmarks/no-shut-down", Ct)).AssertProblemAsync(HttpStatusCode.NotFound);

        var (weights, meta) = TinyPolicies.Create([System.Text.Encoding.UTF8.GetString(bytes[..20000])]);
        var checkpoint = await (await client.PostAsync("/api/v1/checkpoints?name=tiny", TinyPolicies.Form(weights, meta), Ct)).JsonAsync();
        var run = await (await client.PostAsJsonAsync("/api/v1/benchmark-runs", new { checkpointId = checkpoint.GetProperty("id").GetString(), benchmarkId = "no-shut-down", maxItems = 4 }, Ct)).JsonAsync();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            run = await (await client.GetAsync($"/api/v1/benchmark-runs/{run.GetProperty("id").GetString()}", Ct)).JsonAsync();
            if (run.GetProperty("status").GetString() is "completed" or "failed") break;
            Assert.True(DateTime.UtcNow < deadline, run.GetRawText());
            await Task.Delay(250, Ct);
        }

        Assert.True(run.GetProperty("status").GetString() == "completed", run.GetRawText());
        Assert.Equal(4, run.GetProperty("summary").GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Import_FileWithABrokenLine_Is400NamingTheLine_AndImportsNothing()
    {
        using var client = await fixture.NewTenantClientAsync();
        var lines = (await File.ReadAllLinesAsync(Path.Combine(SharedBenchmarks, "anthropic-evals", "persona", "no-shut-down.jsonl"), Ct)).Take(10).ToArray();
        lines[6] = "{\"question\": \"cut off";
        var bytes = System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines));
        var problem = await (await client.PostAsync("/api/v1/benchmarks", Form(bytes, "no-shut-down.jsonl", "broken"), Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(7, problem.GetProperty("line").GetInt32());
        await (await client.GetAsync("/api/v1/benchmarks/broken", Ct)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Import_UnknownImporterOrBuiltInId_Is400NamingTheField()
    {
        using var client = await fixture.NewTenantClientAsync();
        var builtIn = (await (await client.GetAsync("/api/v1/benchmarks", Ct)).JsonAsync())[0].GetProperty("id").GetString()!;
        var taken = await (await client.PostAsync("/api/v1/benchmarks", Form([1], "x.jsonl", builtIn), Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("id", taken.GetProperty("field").GetString());
        var unknown = await (await client.PostAsync("/api/v1/benchmarks", Form([1], "x.jsonl", "mine", importer: "excel"), Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("importer", unknown.GetProperty("field").GetString());
    }
}
