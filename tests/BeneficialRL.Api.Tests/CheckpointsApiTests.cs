using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using BeneficialRL.Api.Tests.Infrastructure;

namespace BeneficialRL.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class CheckpointsApiTests(ApiFixture fixture)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ByteArrayContent Octets(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    [Fact]
    public async Task Import_ValidSafetensors_IsListedWithLineage_AndWeightsStreamBack()
    {
        using var client = await fixture.NewTenantClientAsync();
        var parentBytes = SafetensorsFiles.SingleTensor(1000);
        var parent = await (await client.PostAsync("/api/v1/checkpoints?name=base", Octets(parentBytes), Ct)).JsonAsync();
        var parentId = parent.GetProperty("id").GetString();

        var childBytes = SafetensorsFiles.SingleTensor(1000, seed: 2f);
        var response = await client.PostAsync($"/api/v1/checkpoints?name=tuned&parentId={parentId}", Octets(childBytes), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var child = await response.JsonAsync();
        Assert.Equal(parentId, child.GetProperty("parentId").GetString());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(childBytes)), child.GetProperty("sha256").GetString());

        var weights = await client.GetByteArrayAsync(child.GetProperty("weights").GetString(), Ct);
        Assert.Equal(childBytes, weights);
        var list = await (await client.GetAsync("/api/v1/checkpoints", Ct)).JsonAsync();
        Assert.Equal(2, list.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("not-json-header")]
    [InlineData("bad-offsets")]
    public async Task Import_MalformedFile_Is400AndStoresNothing(string kind)
    {
        using var client = await fixture.NewTenantClientAsync();
        var good = SafetensorsFiles.SingleTensor(16);
        var bytes = kind switch
        {
            "truncated" => good[..^4],
            "not-json-header" => [.. good[..8], .. "{{{{{{"u8.ToArray(), .. good[14..]],
            _ => System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(good).Replace("[0,64]", "[0,60]")),
        };
        var problem = await (await client.PostAsync("/api/v1/checkpoints?name=bad", Octets(bytes), Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("body", problem.GetProperty("field").GetString());
        var list = await (await client.GetAsync("/api/v1/checkpoints", Ct)).JsonAsync();
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("U8", 1)]
    [InlineData("F64", 8)]
    [InlineData("BOOL", 1)]
    public async Task Import_DtypeTheEngineCannotRead_Is400NamingTheFieldAndDtype_AndStoresNothing(string dtype, int width)
    {
        using var client = await fixture.NewTenantClientAsync();
        var bytes = SafetensorsFiles.SingleTensor(16, dtype, width);

        var raw = await (await client.PostAsync("/api/v1/checkpoints?name=odd", Octets(bytes), Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        var (_, meta) = TinyPolicies.Create(["a b c"]);
        var form = await (await client.PostAsync("/api/v1/checkpoints?name=odd", TinyPolicies.Form(bytes, meta), Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("body", raw.GetProperty("field").GetString());
        Assert.Equal("weights", form.GetProperty("field").GetString());
        Assert.Contains($"'{dtype}'", raw.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var list = await (await client.GetAsync("/api/v1/checkpoints", Ct)).JsonAsync();
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Import_MissingNameOrUnknownParent_Is400NamingTheParameter()
    {
        using var client = await fixture.NewTenantClientAsync();
        var noName = await (await client.PostAsync("/api/v1/checkpoints", Octets(SafetensorsFiles.SingleTensor(4)), Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("name", noName.GetProperty("field").GetString());
        var badParent = await (await client.PostAsync("/api/v1/checkpoints?name=x&parentId=ckpt_missing", Octets(SafetensorsFiles.SingleTensor(4)), Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("parentId", badParent.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Import_LargerThanLimit_Is413()
    {
        using var client = await fixture.NewTenantClientAsync();
        var tooBig = SafetensorsFiles.SingleTensor((int)(ApiFixture.MaxUploadBytes / 4) + 1024);
        await (await client.PostAsync("/api/v1/checkpoints?name=big", Octets(tooBig), Ct)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task BenchmarkRun_IsPlacedOnATrainerSilo_AndItemsAre409WhileNotCompleted()
    {
        using var client = await fixture.NewTenantClientAsync();
        // A run needs a checkpoint that can be evaluated (weights-only ones are refused with 409: BadInputTests).
        var (weights, meta) = TinyPolicies.Create(["a tiny policy to place a run"]);
        var checkpoint = await (await client.PostAsync("/api/v1/checkpoints?name=c", TinyPolicies.Form(weights, meta), Ct)).JsonAsync();
        var benchmarkId = (await (await client.GetAsync("/api/v1/benchmarks?format=generate-grade", Ct)).JsonAsync())[0].GetProperty("id").GetString();
        var response = await client.PostAsJsonAsync("/api/v1/benchmark-runs", new { checkpointId = checkpoint.GetProperty("id").GetString(), benchmarkId }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var run = await response.JsonAsync();
        var runId = run.GetProperty("id").GetString();
        Assert.Equal(fixture.SiloName, run.GetProperty("worker").GetString());
        // The whole benchmark, generated and graded item by item, is far from done right after it was queued.
        await (await client.GetAsync($"/api/v1/benchmark-runs/{runId}/items", Ct)).AssertProblemAsync(HttpStatusCode.Conflict);
        // Frees the shared trainer for the other tests (a 409 if it already finished is fine).
        await client.PostAsync($"/api/v1/benchmark-runs/{runId}/cancel", null, Ct);

        var unknown = await (await client.PostAsJsonAsync("/api/v1/benchmark-runs", new { checkpointId = "ckpt_nope", benchmarkId = "x" }, Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("$.checkpointId", unknown.GetProperty("field").GetString());
    }
}
