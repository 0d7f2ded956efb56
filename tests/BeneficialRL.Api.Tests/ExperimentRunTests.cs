using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BeneficialRL.Api.Tests.Infrastructure;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Durability.Running;

namespace BeneficialRL.Api.Tests;

/// <summary>
/// Experiments that run: the <c>quick</c> preset end to end through the REST API on the fixture's silo
/// (api + trainer roles, Azurite), with pause and resume on the way; cancellation; spec validation.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ExperimentRunTests(ApiFixture fixture)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task QuickWithPersistence_PausedAndResumedDuringTraining_CompletesWithReportCheckpointsCurvesAndPersistence()
    {
        using var client = await fixture.NewTenantClientAsync();
        var definition = ExperimentPresets.Get("quick") with { Persistence = PersistenceSpec.Quick };
        var created = await client.PostAsync("/api/v1/experiments",
            new StringContent($$"""{"definition":{{ExperimentJson.Serialize(definition)}}}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync()).GetProperty("id").GetString()!;

        // Pause once the first training checkpoint is stored, then resume: the runs continue from it.
        await WaitForAsync(client, id, e => Jobs(e).Any(j => j.GetProperty("kind").GetString() == "trainingRun" && j.TryGetProperty("lastCheckpointStep", out var s) && s.ValueKind == JsonValueKind.Number));
        var paused = await (await client.PostAsync($"/api/v1/experiments/{id}/pause", null, Ct)).JsonAsync();
        Assert.Equal("paused", paused.GetProperty("status").GetString());
        var jobsWhilePaused = await (await client.GetAsync($"/api/v1/experiments/{id}/jobs", Ct)).JsonAsync();
        Assert.All(jobsWhilePaused.EnumerateArray().Where(j => j.GetProperty("stage").GetString() == "training"),
            j => Assert.Contains(j.GetProperty("status").GetString(), new[] { "paused", "completed" }));
        var resumed = await (await client.PostAsync($"/api/v1/experiments/{id}/resume", null, Ct)).JsonAsync();
        Assert.Equal("running", resumed.GetProperty("status").GetString());

        var events = await ReadEventsUntilTerminalAsync(client, id);
        var experiment = await (await client.GetAsync($"/api/v1/experiments/{id}", Ct)).JsonAsync();
        Assert.True(experiment.GetProperty("status").GetString() == "completed", experiment.GetRawText());
        Assert.Equal(["base-model", "training", "evaluation", "persistence", "report"], experiment.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToArray());
        Assert.All(experiment.GetProperty("stages").EnumerateArray(), s => Assert.True(s.GetProperty("seconds").GetDouble() >= 0));
        Assert.Contains(events, e => e.GetProperty("kind").GetString() == "stage" && e.GetProperty("stage").GetString() == "training");
        Assert.Contains(events, e => e.GetProperty("kind").GetString() == "progress" && e.GetProperty("job").GetString() == "train.treatment-s1");
        Assert.Equal("completed", events[^1].GetProperty("status").GetString());
        await (await client.PostAsync($"/api/v1/experiments/{id}/cancel", null, Ct)).AssertProblemAsync(HttpStatusCode.Conflict);

        var jobs = (await (await client.GetAsync($"/api/v1/experiments/{id}/jobs", Ct)).JsonAsync()).EnumerateArray().ToList();
        Assert.Equal(["base", "train.baseline-s1", "train.treatment-s1", "eval.baseline-s1", "eval.treatment-s1", "persistence", "report"], jobs.Select(j => j.GetProperty("name").GetString()!).ToArray());
        Assert.All(jobs, j => Assert.Equal("completed", j.GetProperty("status").GetString()));
        Assert.Contains(jobs, j => j.GetProperty("attempts").GetInt32() >= 2); // the paused run started again

        // Every step's metrics, once, in order, despite the pause.
        var metrics = await (await client.GetAsync($"/api/v1/experiments/{id}/runs/treatment-s1/metrics", Ct)).Content.ReadAsStringAsync(Ct);
        var steps = metrics.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt64()).ToArray();
        Assert.Equal([0L, 1, 2, 3], steps);

        // Checkpoints every 2 steps, resources with lineage back to the base checkpoint.
        var final = await (await client.GetAsync($"/api/v1/checkpoints/{id}-treatment-s1-step00004", Ct)).JsonAsync();
        Assert.Equal($"{id}-treatment-s1-step00002", final.GetProperty("parentId").GetString());
        Assert.True(final.GetProperty("evaluable").GetBoolean());
        var middle = await (await client.GetAsync($"/api/v1/checkpoints/{id}-treatment-s1-step00002", Ct)).JsonAsync();
        var baseId = middle.GetProperty("parentId").GetString()!;
        Assert.StartsWith("base-", baseId);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/checkpoints/{baseId}", Ct)).StatusCode);

        // Each benchmark of a run's final evaluation as an Inspect log: the suite's items, the run's final checkpoint as the model.
        var ood = BeneficialRL.Experiments.Evaluation.EvaluationSuite.Build(definition.Evaluation).Ood[0];
        var inspect = await client.GetAsync($"/api/v1/experiments/{id}/runs/treatment-s1/benchmarks/{ood.Definition.Id}/inspect-log", Ct);
        Assert.Equal(HttpStatusCode.OK, inspect.StatusCode);
        Assert.EndsWith($"_{ood.Definition.Id.Replace('_', '-')}_{id.Replace('_', '-')}-treatment-s1-{ood.Definition.Id.Replace('_', '-')}.eval", inspect.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        using (var zip = new System.IO.Compression.ZipArchive(new MemoryStream(await inspect.Content.ReadAsByteArrayAsync(Ct))))
        {
            Assert.Equal(ood.Items.Count, zip.Entries.Count(e => e.FullName.StartsWith("samples/", StringComparison.Ordinal)));
            using var header = JsonDocument.Parse(zip.GetEntry("header.json")!.Open());
            Assert.Equal($"beneficialrl/{id}-treatment-s1-step00004", header.RootElement.GetProperty("eval").GetProperty("model").GetString());
        }

        var storedLog = await (await client.PostAsync($"/api/v1/experiments/{id}/runs/treatment-s1/benchmarks/{ood.Definition.Id}/inspect-log", null, Ct)).JsonAsync();
        Assert.EndsWith("/inspect/" + storedLog.GetProperty("fileName").GetString(), storedLog.GetProperty("path").GetString(), StringComparison.Ordinal);
        await (await client.GetAsync($"/api/v1/experiments/{id}/runs/treatment-s1/benchmarks/no-such-benchmark/inspect-log", Ct)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/api/v1/experiments/{id}/runs/treatment-s9/benchmarks/{ood.Definition.Id}/inspect-log", Ct)).AssertProblemAsync(HttpStatusCode.NotFound);

        // The report: JSON with the headline and curves, HTML page, plots.
        var report = await (await client.GetAsync($"/api/v1/experiments/{id}/report", Ct)).JsonAsync();
        Assert.Equal(id, report.GetProperty("experimentId").GetString());
        var headline = Assert.Single(report.GetProperty("headline").EnumerateArray());
        Assert.Equal("treatment", headline.GetProperty("arm").GetString());
        var curves = report.GetProperty("analysis").GetProperty("curves").EnumerateArray().ToList();
        Assert.Equal(2, curves.Count);
        Assert.All(curves, c => Assert.Equal([0L, 2, 4], c.GetProperty("checkpoints").EnumerateArray().Select(p => p.GetProperty("step").GetInt64()).ToArray()));
        var html = await client.GetAsync($"/api/v1/experiments/{id}/reports/report.html", Ct);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        // Report pages run no script and load nothing from elsewhere; their inline styles and data-URI plots still show.
        Assert.Contains("default-src 'none'", html.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", html.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("<html", await html.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
        var png = report.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).First(f => f.EndsWith(".png", StringComparison.Ordinal));
        var image = await (await client.GetAsync($"/api/v1/experiments/{id}/reports/{png}", Ct)).Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, image[..4]);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/experiments/{id}/reports/nope.png", Ct)).StatusCode);

        // Persistence after training: a section of the report, and dose checkpoints chained to the run's final checkpoint.
        var persistence = report.GetProperty("persistence");
        Assert.Equal("baseline", persistence.GetProperty("reference").GetString());
        Assert.Equal(["pre-rl", "baseline", "treatment"], persistence.GetProperty("subjects").EnumerateArray().Select(s => s.GetString()!).ToArray());
        var firstDose = await (await client.GetAsync($"/api/v1/checkpoints/{id}-treatment-dose0002", Ct)).JsonAsync();
        Assert.Equal($"{id}-treatment-s1-step00004", firstDose.GetProperty("parentId").GetString());
        Assert.Equal("harmful-finetune", firstDose.GetProperty("source").GetString());
        var secondDose = await (await client.GetAsync($"/api/v1/checkpoints/{id}-treatment-dose0005", Ct)).JsonAsync();
        Assert.Equal($"{id}-treatment-dose0002", secondDose.GetProperty("parentId").GetString());

        // The same tests on any checkpoint through the API, against a reference checkpoint.
        var run = await client.PostAsJsonAsync($"/api/v1/checkpoints/{id}-treatment-s1-step00004/persistence-runs",
            new { referenceCheckpointId = $"{id}-baseline-s1-step00004", preset = "quick" }, Ct);
        Assert.Equal(HttpStatusCode.Created, run.StatusCode);
        var runId = (await run.JsonAsync()).GetProperty("id").GetString()!;
        var finished = await WaitForPersistenceRunAsync(client, runId);
        Assert.True(finished.GetProperty("status").GetString() == "completed", finished.GetRawText());
        Assert.Equal(4, finished.GetProperty("doseCheckpointIds").GetArrayLength());
        var result = await (await client.GetAsync($"/api/v1/persistence-runs/{runId}/result", Ct)).JsonAsync();
        Assert.Equal($"{id}-baseline-s1-step00004", result.GetProperty("reference").GetString());
        Assert.NotEmpty(result.GetProperty("adversarialComparisons").EnumerateArray());
        var page = await client.GetAsync($"/api/v1/persistence-runs/{runId}/report", Ct);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("<img", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PersistenceRun_BadRequests_GetProblemsAndStartNothing()
    {
        using var client = await fixture.NewTenantClientAsync();
        await (await client.PostAsJsonAsync("/api/v1/checkpoints/ckpt_missing/persistence-runs", new { preset = "quick" }, Ct)).AssertProblemAsync(HttpStatusCode.NotFound);

        var (weights, meta) = TinyPolicies.Create(["a tiny policy for persistence validation"]);
        var imported = await (await client.PostAsync("/api/v1/checkpoints?name=tiny", TinyPolicies.Form(weights, meta), Ct)).JsonAsync();
        var checkpointId = imported.GetProperty("id").GetString()!;
        var preset = await client.PostAsJsonAsync($"/api/v1/checkpoints/{checkpointId}/persistence-runs", new { preset = "huge" }, Ct);
        Assert.Equal("$.preset", (await preset.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("field").GetString());
        var reference = await client.PostAsJsonAsync($"/api/v1/checkpoints/{checkpointId}/persistence-runs", new { referenceCheckpointId = "ckpt_nope", preset = "quick" }, Ct);
        Assert.Equal("$.referenceCheckpointId", (await reference.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("field").GetString());
        var spec = await client.PostAsync($"/api/v1/checkpoints/{checkpointId}/persistence-runs",
            new StringContent("""{"spec":{"fineTuning":{"doses":[0,10,5]}}}""", Encoding.UTF8, "application/json"), Ct);
        var problem = await spec.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("$.spec.fineTuning.doses", problem.GetProperty("field").GetString(), StringComparison.Ordinal);

        var list = await (await client.GetAsync("/api/v1/persistence-runs", Ct)).JsonAsync();
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    private async Task<JsonElement> WaitForPersistenceRunAsync(HttpClient client, string runId)
    {
        var deadline = DateTime.UtcNow.AddMinutes(8);
        while (true)
        {
            var run = await (await client.GetAsync($"/api/v1/persistence-runs/{runId}", Ct)).JsonAsync();
            if (run.GetProperty("status").GetString() is "completed" or "failed" or "cancelled") return run;
            Assert.True(DateTime.UtcNow < deadline, $"persistence run {runId} unfinished after 8 minutes: {run.GetRawText()}");
            await Task.Delay(250, Ct);
        }
    }

    [Fact]
    public async Task Cancel_DuringTheRun_StopsEveryJobAndStartsNoFurtherStage()
    {
        using var client = await fixture.NewTenantClientAsync();
        var id = (await (await client.PostAsJsonAsync("/api/v1/experiments", new { preset = "quick", name = "to cancel" }, Ct)).JsonAsync()).GetProperty("id").GetString()!;
        await WaitForAsync(client, id, e => Jobs(e).Any(j => j.GetProperty("status").GetString() == "running"));

        var cancelled = await (await client.PostAsJsonAsync($"/api/v1/experiments/{id}/cancel", new { reason = "changed my mind" }, Ct)).JsonAsync();
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        var jobs = (await (await client.GetAsync($"/api/v1/experiments/{id}/jobs", Ct)).JsonAsync()).EnumerateArray().ToList();
        Assert.All(jobs, j => Assert.Contains(j.GetProperty("status").GetString(), new[] { "cancelled", "completed" }));
        Assert.DoesNotContain(jobs, j => j.GetProperty("name").GetString() == "report");
        await (await client.GetAsync($"/api/v1/experiments/{id}/report", Ct)).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await client.PostAsync($"/api/v1/experiments/{id}/resume", null, Ct)).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Create_InvalidDefinition_Returns400NamingEveryPathAndStoresNothing()
    {
        using var client = await fixture.NewTenantClientAsync();
        var definition = JsonSerializer.SerializeToNode(new { name = "bad", seeds = new[] { 1, 1 }, budget = new { steps = 0 } })!;
        var response = await client.PostAsJsonAsync("/api/v1/experiments", new { definition }, Ct);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var fields = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList();
        Assert.Contains("$.definition.seeds", fields);
        Assert.Contains("$.definition.budget.steps", fields);
        Assert.Contains("$.definition.arms", fields);

        var unknown = await client.PostAsync("/api/v1/experiments",
            new StringContent("""{"definition":{"arms":[{"name":"a","colour":"red"}]}}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal("$.definition.arms[0].colour", (await unknown.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("field").GetString());

        var preset = await client.PostAsJsonAsync("/api/v1/experiments", new { preset = "paper-maine" }, Ct);
        Assert.Equal("$.preset", (await preset.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("field").GetString());

        var startingCheckpoint = await client.PostAsJsonAsync("/api/v1/experiments", new
        {
            definition = new
            {
                name = "from a missing checkpoint",
                startingModel = new { preset = (string?)null, checkpointId = "ckpt_missing" },
                arms = new object[]
                {
                    new { name = "baseline", role = "baseline", slices = new[] { new { name = "standard", source = "standardTasks", share = 1.0, grader = "standardTask" } } },
                    new { name = "treatment", role = "treatment", slices = new[] { new { name = "standard", source = "standardTasks", share = 1.0, grader = "standardTask" } } },
                },
            },
        }, Ct);
        Assert.Equal("$.definition.startingModel.checkpointId", (await startingCheckpoint.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("field").GetString());

        var modelGrader = await client.PostAsJsonAsync("/api/v1/experiments", new
        {
            definition = new
            {
                name = "graded by a model no silo has",
                arms = new object[]
                {
                    new { name = "baseline", role = "baseline", slices = new[] { new { name = "standard", source = "standardTasks", share = 1.0, grader = "standardTask" } } },
                    new { name = "treatment", role = "treatment", slices = new[] { new { name = "traits", source = "scenarios", share = 1.0, grader = "modelGrader", modelGraderEndpoint = "http://127.0.0.1:9/v1" } } },
                },
            },
        }, Ct);
        var refused = await modelGrader.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(refused.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == "$.definition.arms[1].slices[0].grader");

        var list = await (await client.GetAsync("/api/v1/experiments", Ct)).JsonAsync();
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    private static IEnumerable<JsonElement> Jobs(JsonElement jobs) => jobs.EnumerateArray();

    /// <summary>Polls the jobs list until <paramref name="condition"/> holds (or the experiment ended).</summary>
    private async Task<JsonElement> WaitForAsync(HttpClient client, string id, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            var jobs = await (await client.GetAsync($"/api/v1/experiments/{id}/jobs", Ct)).JsonAsync();
            if (condition(jobs)) return jobs;
            var experiment = await (await client.GetAsync($"/api/v1/experiments/{id}", Ct)).JsonAsync();
            Assert.False(experiment.GetProperty("status").GetString() is "completed" or "failed" or "cancelled", $"experiment ended before the condition held: {experiment.GetRawText()}");
            Assert.True(DateTime.UtcNow < deadline, $"condition not met after 5 minutes: {jobs.GetRawText()}");
            await Task.Delay(100, Ct);
        }
    }

    /// <summary>Follows the experiment's server-sent events until the terminal status event.</summary>
    private async Task<List<JsonElement>> ReadEventsUntilTerminalAsync(HttpClient client, string id)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(8));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/experiments/{id}/events");
        using var stream = new HttpClient { BaseAddress = client.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        stream.DefaultRequestHeaders.Authorization = client.DefaultRequestHeaders.Authorization;
        using var response = await stream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var events = new List<JsonElement>();
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            events.Add(JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone());
        }

        return events;
    }
}
