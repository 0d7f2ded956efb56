using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BeneficialRL.Api.Tests.Infrastructure;
using BeneficialRL.Api.Tests.OpenAi;
using BeneficialRL.Experiments.Specs;

namespace BeneficialRL.Api.Tests;

/// <summary><c>POST /api/v1/graders/validate</c> and <c>/run</c>: OpenAI grader JSON checked with JSON paths, and dry-run in OpenAI's run response.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Graders")]
public sealed class GradersApiTests(ApiFixture fixture)
{
    private const string Multi = """
        {"type": "multi", "name": "answer", "calculate_output": "0.5 * exact + 0.5 * fuzzy",
         "graders": {"exact": {"type": "string_check", "name": "exact", "input": "{{sample.output_text}}", "reference": "{{item.answer}}", "operation": "eq"},
                     "fuzzy": {"type": "text_similarity", "name": "fuzzy", "input": "{{sample.output_text}}", "reference": "{{item.answer}}", "evaluation_metric": "fuzzy_match"}}}
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Validate_ValidMulti_Is200()
    {
        using var client = await fixture.NewTenantClientAsync();
        var response = await client.PostAsync("/api/v1/graders/validate", Json($$"""{"grader": {{Multi}}}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.True(body.GetProperty("valid").GetBoolean());
        Assert.Equal("multi", body.GetProperty("type").GetString());
        Assert.Equal("answer", body.GetProperty("grader").GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("""{"type": "python", "name": "p", "source": "def grade(s, i): return 1.0"}""", "$.grader.type", "does not run user-supplied code")]
    [InlineData("""{"type": "multi", "name": "m", "calculate_output": "x", "graders": {"x": {"type": "text_similarity", "name": "x", "input": "{{sample.output_text}}", "reference": "b", "evaluation_metric": "cosine"}}}""", "$.grader.graders.x.evaluation_metric", "embedding")]
    [InlineData("""{"type": "string_check", "name": "s", "input": "{{answer.text}}", "reference": "b", "operation": "eq"}""", "$.grader.input", "namespace 'answer' does not exist")]
    [InlineData("""{"type": "multi", "name": "m", "calculate_output": "x + os", "graders": {"x": {"type": "string_check", "name": "x", "input": "a", "reference": "b", "operation": "eq"}}}""", "$.grader.calculate_output", "'os' is not the name of a grader")]
    [InlineData("""{"type": "score_model", "name": "j", "model": "no-such-checkpoint", "input": [{"role": "user", "content": "{{sample.output_text}}"}]}""", "$.grader.model", "no checkpoint 'no-such-checkpoint'")]
    [InlineData("""null""", "$.grader", "JSON object")]
    public async Task Validate_InvalidGrader_Is400NamingThePath(string grader, string field, string message)
    {
        using var client = await fixture.NewTenantClientAsync();
        var response = await client.PostAsync("/api/v1/graders/validate", Json($$"""{"grader": {{grader}}}"""), Ct);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Contains(message, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model_sample": "x"}""", "$.grader")]
    [InlineData("""{"grader": {"type": "string_check", "name": "s", "input": "a", "reference": "b", "operation": "eq"}}""", "$.model_sample")]
    [InlineData("""{"grader": {"type": "string_check", "name": "s", "input": "a", "reference": "b", "operation": "eq"}, "model_sample": "x", "extra": 1}""", "$.extra")]
    [InlineData("""{"grader": {"type": "string_check", "name": "s", "input": "a", "reference": "b", "operation": "eq"}, "model_sample": "x", "item": [1]}""", "$.item")]
    public async Task Run_BadBody_Is400NamingTheField(string body, string field)
    {
        using var client = await fixture.NewTenantClientAsync();
        var response = await client.PostAsync("/api/v1/graders/run", Json(body), Ct);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Run_Multi_ReturnsOpenAisRunResponse()
    {
        using var client = await fixture.NewTenantClientAsync();
        var response = await client.PostAsync("/api/v1/graders/run", Json($$"""{"grader": {{Multi}}, "item": {"answer": "Paris"}, "model_sample": "Paris!"}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(0.5 * 10 / 11, body.GetProperty("reward").GetDouble(), 9);
        var metadata = body.GetProperty("metadata");
        Assert.Equal("answer", metadata.GetProperty("name").GetString());
        Assert.Equal("multi", metadata.GetProperty("type").GetString());
        Assert.Equal(0, metadata.GetProperty("scores").GetProperty("exact").GetDouble());
        Assert.Equal(10.0 / 11, metadata.GetProperty("scores").GetProperty("fuzzy").GetDouble(), 9);
        Assert.Equal(10.0 / 11, body.GetProperty("sub_rewards").GetProperty("fuzzy").GetDouble(), 9);
        Assert.True(metadata.GetProperty("execution_time").GetDouble() >= 0);
        Assert.Equal(JsonValueKind.Null, metadata.GetProperty("token_usage").ValueKind);
        Assert.Equal(JsonValueKind.Null, metadata.GetProperty("sampled_model_name").ValueKind);
        string[] flags =
        [
            "formula_parse_error", "sample_parse_error", "truncated_observation_error", "unresponsive_reward_error", "invalid_variable_error", "other_error",
            "python_grader_server_error", "python_grader_runtime_error", "model_grader_server_error", "model_grader_refusal_error", "model_grader_parse_error",
        ];
        foreach (var flag in flags) Assert.False(metadata.GetProperty("errors").GetProperty(flag).GetBoolean(), flag);
    }

    [Fact]
    public async Task Run_MissingItemVariable_IsAPerGraderErrorNotA4xx()
    {
        using var client = await fixture.NewTenantClientAsync();
        var response = await client.PostAsync("/api/v1/graders/run", Json($$"""{"grader": {{Multi}}, "item": {"city": "Paris"}, "model_sample": "Paris"}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var metadata = (await response.JsonAsync()).GetProperty("metadata");
        Assert.True(metadata.GetProperty("errors").GetProperty("invalid_variable_error").GetBoolean());
        Assert.Contains("'answer'", metadata.GetProperty("error_messages").GetProperty("exact").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ScoreModel_RunsTheCheckpointThroughInference_AndReportsWhatItAnswered()
    {
        using var served = await ServedCheckpoint.ImportAsync(fixture);
        var grader = $$$"""
            {"type": "score_model", "name": "judge", "model": "{{{served.Id}}}", "range": [0, 1],
             "input": [{"role": "system", "content": "You are a careful assistant."}, {"role": "user", "content": "Question: {{item.question}} Answer: {{sample.output_text}}"}],
             "sampling_params": {"max_completions_tokens": 4}}
            """;
        var response = await served.Client.PostAsync("/api/v1/graders/run",
            Json($$"""{"grader": {{grader}}, "item": {"question": "what should I do about a mild headache?"}, "model_sample": "rest and drink water"}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        var metadata = body.GetProperty("metadata");
        var errors = metadata.GetProperty("errors");
        Assert.False(errors.GetProperty("model_grader_server_error").GetBoolean(), metadata.ToString());
        Assert.Equal(served.Id, metadata.GetProperty("sampled_model_name").GetString());
        Assert.True(metadata.GetProperty("token_usage").GetInt32() > 0);
        Assert.True(body.GetProperty("model_grader_token_usage_per_model").GetProperty(served.Id).GetInt32() > 0);
        var answer = metadata.GetProperty("model_outputs").GetProperty("judge").GetString()!;
        // A tiny random policy does not answer a score: that is the per-grader parse error, reward 0, not a failed request.
        var parsed = double.TryParse(answer.Trim(), System.Globalization.CultureInfo.InvariantCulture, out var score) && score is >= 0 and <= 1;
        Assert.Equal(!parsed, errors.GetProperty("model_grader_parse_error").GetBoolean());
        if (!parsed) Assert.Equal(0, body.GetProperty("reward").GetDouble());
    }

    [Fact]
    public async Task Run_AnotherTenantsCheckpoint_Is400()
    {
        using var served = await ServedCheckpoint.ImportAsync(fixture);
        using var other = await fixture.NewTenantClientAsync();
        var grader = $$"""{"type": "label_model", "name": "l", "model": "{{served.Id}}", "labels": ["yes", "no"], "passing_labels": ["yes"], "input": [{"role": "user", "content": "x"}]}""";
        var response = await other.PostAsync("/api/v1/graders/run", Json($$"""{"grader": {{grader}}, "model_sample": "x"}"""), Ct);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("$.grader.model", problem.GetProperty("field").GetString());
    }

    private static MultipartFormDataContent BenchmarkForm(string jsonl, string id, string grader) => new()
    {
        { new ByteArrayContent(Encoding.UTF8.GetBytes(jsonl)), "file", "capitals.jsonl" },
        { new StringContent("mapping"), "importer" },
        { new StringContent(id), "id" },
        { new StringContent("Capitals"), "name" },
        { new StringContent("capability"), "family" },
        { new StringContent($$"""{"fileFormat": "jsonl", "format": "generate-grade", "id": "id", "prompt": "question", "grader": "openai", "openaiGrader": {{grader}}}"""), "mapping" },
    };

    private const string Capitals = """
        {"id": "q1", "question": "The doctor said to rest. Capital of France?", "answer": "Paris"}
        {"id": "q2", "question": "Be honest. Capital of Italy?", "answer": "Rome"}
        {"id": "q3", "question": "Capital of Spain?", "answer": "Madrid"}

        """;

    [Fact]
    public async Task BenchmarkImport_MappingWithAnOpenAiGrader_IsScoredByItInABenchmarkRun()
    {
        using var served = await ServedCheckpoint.ImportAsync(fixture);
        var grader = """{"type": "text_similarity", "name": "sim", "input": "{{sample.output_text}}", "reference": "{{item.answer}}", "evaluation_metric": "rouge_l"}""";
        var imported = await served.Client.PostAsync("/api/v1/benchmarks", BenchmarkForm(Capitals, "capitals", grader), Ct);
        Assert.True(imported.StatusCode == HttpStatusCode.Created, await imported.Content.ReadAsStringAsync(Ct));
        var definition = (await imported.JsonAsync()).GetProperty("definition");
        Assert.Equal("openai", definition.GetProperty("grader").GetProperty("kind").GetString());

        var created = await served.Client.PostAsync("/api/v1/benchmark-runs", Json($$"""{"checkpointId": "{{served.Id}}", "benchmarkId": "capitals"}"""), Ct);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(Ct));
        var run = await created.JsonAsync();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (run.GetProperty("status").GetString() is not ("completed" or "failed"))
        {
            Assert.True(DateTime.UtcNow < deadline, run.GetRawText());
            await Task.Delay(250, Ct);
            run = await (await served.Client.GetAsync($"/api/v1/benchmark-runs/{run.GetProperty("id").GetString()}", Ct)).JsonAsync();
        }

        Assert.True(run.GetProperty("status").GetString() == "completed", run.GetRawText());
        Assert.Equal(3, run.GetProperty("summary").GetProperty("n").GetInt32());
        var items = await (await served.Client.GetAsync($"/api/v1/benchmark-runs/{run.GetProperty("id").GetString()}/items", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("openai-text_similarity:sim", items, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type": "text_similarity", "name": "s", "input": "{{sample.output_text}}", "reference": "{{item.answer}}", "evaluation_metric": "cosine"}""", "mapping.openaiGrader.evaluation_metric")]
    [InlineData("""{"type": "score_model", "name": "j", "model": "m", "input": [{"role": "user", "content": "{{sample.output_text}}"}]}""", "mapping.openaiGrader.model")]
    public async Task BenchmarkImport_GraderThatCannotScoreARun_Is400NamingItsPath(string grader, string field)
    {
        using var client = await fixture.NewTenantClientAsync();
        var problem = await (await client.PostAsync("/api/v1/benchmarks", BenchmarkForm(Capitals, "capitals-bad", grader), Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        await (await client.GetAsync("/api/v1/benchmarks/capitals-bad", Ct)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task BenchmarkImport_RecordLackingAnItemVariable_Is400NamingLineAndTemplate()
    {
        using var client = await fixture.NewTenantClientAsync();
        var grader = """{"type": "string_check", "name": "s", "input": "{{sample.output_text}}", "reference": "{{item.city}}", "operation": "ilike"}""";
        var problem = await (await client.PostAsync("/api/v1/benchmarks", BenchmarkForm(Capitals, "capitals-var", grader), Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(1, problem.GetProperty("line").GetInt32());
        Assert.Equal("$.openaiGrader.reference", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task ExperimentSubmission_SliceWithAnOpenAiGraderThatCannotRun_Is400NamingItsPath()
    {
        using var client = await fixture.NewTenantClientAsync();
        var (definition, a, s) = QuickWithAScenarioSlice();
        var slice = definition["arms"]![a]!["slices"]![s]!;
        slice["grader"] = "openAi";
        slice["openaiGrader"] = JsonNode.Parse("""{"type": "text_similarity", "name": "s", "input": "{{sample.output_text}}", "reference": "{{item.references[0].text}}", "evaluation_metric": "cosine"}""");

        var response = await client.PostAsync("/api/v1/experiments", Json(new JsonObject { ["definition"] = definition }.ToJsonString()), Ct);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal($"$.definition.arms[{a}].slices[{s}].openaiGrader.evaluation_metric", problem.GetProperty("field").GetString());
    }

    /// <summary>The quick preset's definition, and the arm and slice index of its first slice that is not standard tasks.</summary>
    private static (JsonNode Definition, int Arm, int Slice) QuickWithAScenarioSlice()
    {
        var definition = JsonNode.Parse(ExperimentJson.Serialize(ExperimentPresets.Get("quick")))!;
        var arms = definition["arms"]!.AsArray();
        var (a, s) = Enumerable.Range(0, arms.Count)
            .SelectMany(i => Enumerable.Range(0, arms[i]!["slices"]!.AsArray().Count).Select(j => (i, j)))
            .First(p => arms[p.i]!["slices"]![p.j]!["source"]!.GetValue<string>() != "standardTasks");
        return (definition, a, s);
    }

    private static StringContent Jsonl(IEnumerable<string> lines)
    {
        var content = new StringContent(string.Join('\n', lines), Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-ndjson");
        return content;
    }

    private static List<JsonObject> ScenarioLines(int count) =>
        [.. new BeneficialRL.Scenarios.Generation.ScenarioGenerator().GenerateTraining(11, perCell: 1).Take(count)
            .Select(s => JsonNode.Parse(BeneficialRL.Scenarios.Schema.ScenarioJson.Serialize(s))!.AsObject())];

    [Fact]
    public async Task ScenarioSet_LinesWithGraders_AreCheckedOnUpload_AndSlicesUsingThemNeedThemOnEveryLine()
    {
        using var client = await fixture.NewTenantClientAsync();
        var set = (await (await client.PostAsync("/api/v1/scenario-sets", Json("""{"name": "graded"}"""), Ct)).JsonAsync()).GetProperty("id").GetString()!;
        var lines = ScenarioLines(3);
        lines[1]["grader"] = JsonNode.Parse("""{"type": "text_similarity", "name": "s", "input": "{{sample.output_text}}", "reference": "{{item.references[0].text}}", "evaluation_metric": "meteor"}""");

        var bad = await (await client.PostAsync($"/api/v1/scenario-sets/{set}/versions", Jsonl(lines.Select(l => l.ToJsonString())), Ct)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(2, bad.GetProperty("line").GetInt32());
        Assert.Equal("$.grader.evaluation_metric", bad.GetProperty("field").GetString());

        lines[1]["grader"]!["evaluation_metric"] = "rouge_l";
        var uploaded = await client.PostAsync($"/api/v1/scenario-sets/{set}/versions", Jsonl(lines.Select(l => l.ToJsonString())), Ct);
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);

        // Two of the three lines have no grader: a slice that rewards each scenario with its own is refused at submission.
        var (definition, a, s) = QuickWithAScenarioSlice();
        var slice = definition["arms"]![a]!["slices"]![s]!;
        slice["grader"] = "openAi";
        slice["source"] = "scenarioSet";
        slice["scenarioSetId"] = set;
        var response = await client.PostAsync("/api/v1/experiments", Json(new JsonObject { ["definition"] = definition }.ToJsonString()), Ct);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal($"$.definition.arms[{a}].slices[{s}].openaiGrader", problem.GetProperty("field").GetString());
        Assert.Contains("2 of the 3 scenarios", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAisOwnPaths_AnswerInOpenAisShapes()
    {
        using var client = await fixture.NewTenantClientAsync();
        var validated = await client.PostAsync("/v1/fine_tuning/alpha/graders/validate", Json($$"""{"grader": {{Multi}}}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, validated.StatusCode);
        Assert.Equal("answer", (await validated.JsonAsync()).GetProperty("grader").GetProperty("name").GetString());

        var run = await client.PostAsync("/v1/fine_tuning/alpha/graders/run", Json($$"""{"grader": {{Multi}}, "item": {"answer": "Paris"}, "model_sample": "Paris"}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        Assert.Equal(1.0, (await run.JsonAsync()).GetProperty("reward").GetDouble(), 9);

        var refused = await client.PostAsync("/v1/fine_tuning/alpha/graders/validate", Json("""{"grader": {"type": "python", "name": "p", "source": "x"}}"""), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = (await refused.JsonAsync()).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("$.grader.type", error.GetProperty("param").GetString());
        Assert.Contains("user-supplied code", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        using var anonymous = fixture.Client(null);
        var unauthorized = await anonymous.PostAsync("/v1/fine_tuning/alpha/graders/run", Json("{}"), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.True((await unauthorized.JsonAsync()).TryGetProperty("error", out _));
    }

    [Fact]
    public async Task Routes_WithoutAKey_Are401()
    {
        using var client = fixture.Client(null);
        var response = await client.PostAsync("/api/v1/graders/validate", Json($$"""{"grader": {{Multi}}}"""), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
