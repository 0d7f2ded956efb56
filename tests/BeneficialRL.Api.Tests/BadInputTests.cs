using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BeneficialRL.Api.Tests.Infrastructure;

namespace BeneficialRL.Api.Tests;

/// <summary>
/// Input a probe of the running stack turned into 500s, or accepted when it should not have been: each gets a 4xx
/// problem naming the field, header or line, and the collection it targets lists the same before and after.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class BadInputTests(ApiFixture fixture)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The ids a listing shows (paged resources or the benchmark catalogue), to compare before and after a rejected request.</summary>
    private async Task<string> ListingAsync(HttpClient client, string path)
    {
        var list = await (await client.GetAsync(path, Ct)).JsonAsync();
        var items = list.ValueKind == JsonValueKind.Array ? list : list.GetProperty("items");
        return string.Join(",", items.EnumerateArray().Select(i => i.TryGetProperty("id", out var id) ? id.GetString() : i.GetProperty("keyId").GetString()).Order(StringComparer.Ordinal));
    }

    private static ByteArrayContent Octets(byte[] bytes) => new(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } };

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A safetensors file whose single F32 tensor declares <paramref name="shape"/> over <paramref name="dataBytes"/> bytes.</summary>
    private static byte[] Safetensors(string shape, int dataBytes)
    {
        var header = Encoding.UTF8.GetBytes($"{{\"w\":{{\"dtype\":\"F32\",\"shape\":{shape},\"data_offsets\":[0,{dataBytes}]}}}}");
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        return bytes;
    }

    /// <summary>A multipart body whose Content-Type has no boundary, or names a boundary its parts do not use.</summary>
    private static ByteArrayContent BrokenMultipart(string kind)
    {
        var body = Encoding.UTF8.GetBytes("--real\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.jsonl\"\r\n\r\n{}\r\n--real--\r\n");
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", kind == "no-boundary" ? "multipart/form-data" : "multipart/form-data; boundary=other");
        return content;
    }

    private static MultipartFormDataContent BenchmarkForm(string fileName, string importer, params (string Name, string Value)[] extra)
    {
        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent("{\"question\":\"q?\",\"answer_matching_behavior\":\" (A)\",\"answer_not_matching_behavior\":\" (B)\"}\n"u8.ToArray()), "file", fileName },
            { new StringContent(importer), "importer" },
            { new StringContent("mine"), "id" },
            { new StringContent("Mine"), "name" },
            { new StringContent("corrigibility"), "family" },
        };
        foreach (var (name, value) in extra) form.Add(new StringContent(value), name);
        return form;
    }

    [Theory]
    [InlineData("no-boundary", "Content-Type")]
    [InlineData("wrong-boundary", "body")]
    public async Task CheckpointImport_MultipartWithMissingOrBrokenBoundary_Is400NamingIt_AndStoresNothing(string kind, string field)
    {
        using var client = await fixture.NewTenantClientAsync();
        var before = await ListingAsync(client, "/api/v1/checkpoints");
        var problem = await (await client.PostAsync("/api/v1/checkpoints?name=broken", BrokenMultipart(kind), Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Equal(before, await ListingAsync(client, "/api/v1/checkpoints"));
    }

    [Theory]
    [InlineData("no-boundary", "Content-Type")]
    [InlineData("wrong-boundary", "body")]
    public async Task BenchmarkImport_MultipartWithMissingOrBrokenBoundary_Is400NamingIt_AndImportsNothing(string kind, string field)
    {
        using var client = await fixture.NewTenantClientAsync();
        var before = await ListingAsync(client, "/api/v1/benchmarks");
        var problem = await (await client.PostAsync("/api/v1/benchmarks", BrokenMultipart(kind), Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Equal(before, await ListingAsync(client, "/api/v1/benchmarks"));
    }

    [Fact]
    public async Task ExperimentCreate_NullLabelValue_Is400NamingTheLabel_AndCreatesNothing()
    {
        using var client = await fixture.NewTenantClientAsync();
        var before = await ListingAsync(client, "/api/v1/experiments");
        var problem = await (await client.PostAsync("/api/v1/experiments", Json("""{"name":"x","labels":{"k":null}}"""), Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("$.labels.k", problem.GetProperty("field").GetString());
        Assert.Equal(before, await ListingAsync(client, "/api/v1/experiments"));
    }

    [Fact]
    public async Task SuiteRunCreate_NullBenchmarkId_Is400NamingTheElement_AndCreatesNothing()
    {
        using var client = await fixture.NewTenantClientAsync();
        var before = await ListingAsync(client, "/api/v1/suite-runs");
        var problem = await (await client.PostAsync("/api/v1/suite-runs", Json("""{"checkpointId":"ckpt_x","benchmarkIds":[null]}"""), Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("$.benchmarkIds[0]", problem.GetProperty("field").GetString());
        Assert.Equal(before, await ListingAsync(client, "/api/v1/suite-runs"));
    }

    [Theory]
    [InlineData("[4294967296, 4294967296, 4]", 8)] // the element count itself overflows a long
    [InlineData("[4611686018427387906]", 8)] // 2^62+2 F32 values: the byte size wraps to 8 unchecked, which the data "matches"
    public async Task CheckpointImport_ShapeWhoseSizeOverflows_Is400NamingTheTensor_AndStoresNothing(string shape, int dataBytes)
    {
        using var client = await fixture.NewTenantClientAsync();
        var before = await ListingAsync(client, "/api/v1/checkpoints");
        var problem = await (await client.PostAsync("/api/v1/checkpoints?name=overflow", Octets(Safetensors(shape, dataBytes)), Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("body", problem.GetProperty("field").GetString());
        Assert.Contains("Tensor 'w'", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await ListingAsync(client, "/api/v1/checkpoints"));
    }

    [Theory]
    [InlineData("mystery.jsonl", "anthropic-evals", null, "polarity")]
    [InlineData("x.jsonl", "mapping", "{not json", "mapping")]
    [InlineData("x.jsonl", "mapping", """{"format":"generate-grade","prompt":"question","correctReferences":"answer_matching_behavior","grader":"vibes"}""", "mapping")]
    public async Task BenchmarkImport_UnusableImporterSetting_Is400NamingIt_AndImportsNothing(string fileName, string importer, string? mapping, string field)
    {
        using var client = await fixture.NewTenantClientAsync();
        var before = await ListingAsync(client, "/api/v1/benchmarks");
        var form = mapping is null ? BenchmarkForm(fileName, importer) : BenchmarkForm(fileName, importer, ("mapping", mapping));
        var problem = await (await client.PostAsync("/api/v1/benchmarks", form, Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.DoesNotContain("(Parameter", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await ListingAsync(client, "/api/v1/benchmarks"));
    }

    [Theory]
    [InlineData(2, false)] // over the JSON limit, under the server-wide upload cap: only a limit on the bytes read catches it
    [InlineData(2, true)] // with an Idempotency-Key the body is buffered before the endpoint runs: the limit must hold there too
    [InlineData(50, false)] // what the probe sent
    public async Task JsonBody_ChunkedBodyOverTheLimit_Is413_AndCreatesNothing(int megabytes, bool idempotent)
    {
        var (_, key, _) = await fixture.CreateKeyAsync();
        using var client = fixture.Client(key);
        var before = await ListingAsync(client, "/api/v1/experiments");
        var headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {key}", ["Content-Type"] = "application/json" };
        if (idempotent) headers["Idempotency-Key"] = "big-body";

        // No Content-Length: the server must stop reading at the JSON limit, not at the end.
        var response = await RawHttp.PostChunkedAsync(fixture.BaseAddress, "/api/v1/experiments", headers, "{\"name\":\"", (byte)'a', (long)megabytes << 20, "\"}", Ct);

        Assert.True(response.Status == 413, $"Expected 413 but got {response.Status}: {response.Body}");
        Assert.StartsWith("application/problem+json", response.Headers["content-type"], StringComparison.Ordinal);
        Assert.Equal(413, JsonDocument.Parse(response.Body).RootElement.GetProperty("status").GetInt32());
        Assert.Equal(before, await ListingAsync(client, "/api/v1/experiments"));
    }

    [Theory]
    [InlineData("/api/v1/experiments", """{"name":"a\u0000b"}""", "$.name")]
    [InlineData("/api/v1/experiments", """{"name":"tab\there"}""", "$.name")]
    [InlineData("/api/v1/experiments", """{"name":"x","labels":{"team":"evil\u202Etxt.exe"}}""", "$.labels.team")]
    [InlineData("/api/v1/experiments", """{"name":"x","description":"isolate \u2066here"}""", "$.description")]
    [InlineData("/api/v1/scenario-sets", """{"name":"set\u2069"}""", "$.name")]
    [InlineData("/api/v1/api-keys", """{"name":"ci\u001b[31m","scopes":["read"]}""", "$.name")]
    public async Task Names_WithControlOrBidiOverrideCharacters_Are400NamingTheField_AndCreateNothing(string path, string json, string field)
    {
        using var client = await fixture.NewTenantClientAsync();
        var before = await ListingAsync(client, path);
        var problem = await (await client.PostAsync(path, Json(json), Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Equal(before, await ListingAsync(client, path));
    }

    [Fact]
    public async Task CheckpointImport_NameWithNul_Is400NamingTheParameter_AndStoresNothing()
    {
        using var client = await fixture.NewTenantClientAsync();
        var before = await ListingAsync(client, "/api/v1/checkpoints");
        var problem = await (await client.PostAsync("/api/v1/checkpoints?name=a%00b", Octets(SafetensorsFiles.SingleTensor(4)), Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("name", problem.GetProperty("field").GetString());
        Assert.Equal(before, await ListingAsync(client, "/api/v1/checkpoints"));
    }

    [Theory]
    [InlineData("""{"name":"a","name":"b"}""", "$.name")]
    [InlineData("""{"name":"a","labels":{"k":"1","k":"2"}}""", "$.labels.k")]
    public async Task JsonBody_DuplicateMember_Is400NamingTheMember_AndCreatesNothing(string json, string field)
    {
        using var client = await fixture.NewTenantClientAsync();
        var before = await ListingAsync(client, "/api/v1/experiments");
        var problem = await (await client.PostAsync("/api/v1/experiments", Json(json), Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Equal(before, await ListingAsync(client, "/api/v1/experiments"));
    }

    [Theory]
    [InlineData("/api/v1/benchmark-runs", """{"checkpointId":null,"benchmarkId":"x"}""", "$.checkpointId")]
    [InlineData("/api/v1/benchmark-runs", """{"checkpointId":"c","benchmarkId":"x","maxItems":"many"}""", "$.maxItems")]
    [InlineData("/api/v1/benchmark-runs", """{"checkpointId":"c","benchmarkId":"x","extra":1}""", "$.extra")]
    [InlineData("/api/v1/experiments", """{"name":"x","labels":[1]}""", "$.labels")]
    [InlineData("/api/v1/experiments", """{"preset":"quick","persistence":"huge"}""", "$.persistence")]
    [InlineData("/api/v1/experiments?limit=5&continuationToken=garbage", null, "continuationToken")]
    public async Task ErrorMessages_NeverNameDotNetTypesOrParameters(string path, string? json, string field)
    {
        using var client = await fixture.NewTenantClientAsync();
        var response = json is null ? await client.GetAsync(path, Ct) : await client.PostAsync(path, Json(json), Ct);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        foreach (var leak in new[] { "BeneficialRL.", "System.", "Microsoft.", "on type", "(Parameter" })
            Assert.DoesNotContain(leak, detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/checkpoints?name=x", "text/plain")]
    [InlineData("/api/v1/benchmarks", "application/json")]
    [InlineData("/api/v1/scenario-sets/ss_x/versions", "image/png")]
    public async Task Uploads_WithAnyContentType_AuthenticateAndAuthorizeFirst(string path, string contentType)
    {
        using var anonymous = fixture.Client(null);
        var content = new ByteArrayContent([1, 2, 3]) { Headers = { ContentType = new MediaTypeHeaderValue(contentType) } };
        await (await anonymous.PostAsync(path, content, Ct)).AssertProblemAsync(HttpStatusCode.Unauthorized);

        var (_, readKey, _) = await fixture.CreateKeyAsync(null, "read");
        using var reader = fixture.Client(readKey);
        content = new ByteArrayContent([1, 2, 3]) { Headers = { ContentType = new MediaTypeHeaderValue(contentType) } };
        await (await reader.PostAsync(path, content, Ct)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Runs_OnWeightsOnlyCheckpoint_Are409AtOnce_LikePersistenceRuns_AndCreateNothing()
    {
        using var client = await fixture.NewTenantClientAsync();
        var checkpoint = await (await client.PostAsync("/api/v1/checkpoints?name=weights-only", Octets(SafetensorsFiles.SingleTensor(8)), Ct)).JsonAsync();
        var checkpointId = checkpoint.GetProperty("id").GetString();
        Assert.False(checkpoint.GetProperty("evaluable").GetBoolean());
        var benchmarkId = (await (await client.GetAsync("/api/v1/benchmarks?format=mc-loglik", Ct)).JsonAsync())[0].GetProperty("id").GetString();

        var run = await (await client.PostAsJsonAsync("/api/v1/benchmark-runs", new { checkpointId, benchmarkId }, Ct)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("meta.json", run.GetProperty("detail").GetString());
        var suite = await (await client.PostAsJsonAsync("/api/v1/suite-runs", new { checkpointId, suite = "held-out" }, Ct)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("meta.json", suite.GetProperty("detail").GetString());
        await (await client.PostAsJsonAsync($"/api/v1/checkpoints/{checkpointId}/persistence-runs", new { preset = "quick" }, Ct)).AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("", await ListingAsync(client, "/api/v1/benchmark-runs"));
        Assert.Equal("", await ListingAsync(client, "/api/v1/suite-runs"));
        Assert.Equal("", await ListingAsync(client, "/api/v1/persistence-runs"));
    }
}
