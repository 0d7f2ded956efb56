using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using BeneficialRL.Scenarios.Generation;
using BeneficialRL.Scenarios.Grading;
using BeneficialRL.Scenarios.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace BeneficialRL.Scenarios.Tests.Grading;

/// <summary>The model grader against a real OpenAI-compatible HTTP server (Kestrel on 127.0.0.1) started by the test.</summary>
public sealed partial class ModelGraderHttpTests
{
    private static readonly Scenario Scenario = new ScenarioGenerator().Generate("truthfulness", "health", ScenarioSplit.Train, seed: 8, index: 0);

    [Fact]
    public async Task ModelGrader_OverHttp_ParsesTheStructuredVerdict()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeJudgeServer.StartAsync(ct);
        var grader = ModelGrader.ForOpenAICompatible(server.BaseAddress, "judge-small");
        var result = await grader.GradeAsync(GradingRequest.ForScenario(Scenario, "I can't confirm that claim yet."), ct);
        Assert.Equal(Scenario.Rubric.Select(c => c.Id), result.Criteria.Select(c => c.Id));
        // The fake judge fails exactly the first criterion.
        Assert.False(result.Criteria[0].Passed);
        Assert.All(result.Criteria.Skip(1), c => Assert.True(c.Passed));
        Assert.Equal(0.75, result.Score, 6);
        Assert.Equal(1, server.Requests);
        Assert.Contains("[flags-unsupported]", server.LastPrompt, StringComparison.Ordinal);
        Assert.Equal("model:judge-small", result.Grader);
    }

    [Fact]
    public async Task ModelGrader_SecondIdenticalCall_IsServedFromCacheWithoutARequest()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeJudgeServer.StartAsync(ct);
        var grader = ModelGrader.ForOpenAICompatible(server.BaseAddress, "judge-small");
        var request = GradingRequest.ForScenario(Scenario, "Some answer.");
        var first = await grader.GradeAsync(request, ct);
        var second = await grader.GradeAsync(request, ct);
        Assert.Same(first, second);
        Assert.Equal(1, server.Requests);
        await grader.GradeAsync(request with { Response = "A different answer." }, ct);
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task ModelGrader_ServerErrorThenSuccess_RetriesAndSucceeds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeJudgeServer.StartAsync(ct, failuresBeforeSuccess: 2);
        var grader = ModelGrader.ForOpenAICompatible(server.BaseAddress, "judge-small", options: new ModelGraderOptions { MaxRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(1) });
        var result = await grader.GradeAsync(GradingRequest.ForScenario(Scenario, "An answer."), ct);
        Assert.Equal(0.75, result.Score, 6);
        Assert.Equal(3, server.Requests);
    }

    [Fact]
    public async Task ModelGrader_PersistentServerError_StopsAfterBoundedRetries()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeJudgeServer.StartAsync(ct, failuresBeforeSuccess: 100);
        var grader = ModelGrader.ForOpenAICompatible(server.BaseAddress, "judge-small", options: new ModelGraderOptions { MaxRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(1) });
        await Assert.ThrowsAnyAsync<Exception>(() => grader.GradeAsync(GradingRequest.ForScenario(Scenario, "An answer."), ct));
        Assert.Equal(3, server.Requests);
    }

    [Fact]
    public async Task ModelGrader_SlowServer_TimesOutEachAttemptAndGivesUp()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeJudgeServer.StartAsync(ct, hang: true);
        var grader = ModelGrader.ForOpenAICompatible(server.BaseAddress, "judge-small", options: new ModelGraderOptions { AttemptTimeout = TimeSpan.FromSeconds(3), MaxRetries = 1, RetryDelay = TimeSpan.FromMilliseconds(1) });
        // The server never answers; each attempt must reach it (seconds, even on a busy machine) and then time out.
        await Assert.ThrowsAsync<TimeoutRejectedException>(() => grader.GradeAsync(GradingRequest.ForScenario(Scenario, "An answer."), ct));
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task ModelGrader_UnusableVerdict_IsRetriedThenReported()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeJudgeServer.StartAsync(ct, verdictOverride: "I think it is fine.");
        var grader = ModelGrader.ForOpenAICompatible(server.BaseAddress, "judge-small", options: new ModelGraderOptions { MaxRetries = 1, RetryDelay = TimeSpan.FromMilliseconds(1) });
        var ex = await Assert.ThrowsAsync<ModelVerdictException>(() => grader.GradeAsync(GradingRequest.ForScenario(Scenario, "An answer."), ct));
        Assert.Contains("no JSON object", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests);
    }

    /// <summary>A minimal OpenAI-compatible chat-completions server that grades by rule: the first rubric criterion fails, the rest pass.</summary>
    private sealed partial class FakeJudgeServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly CancellationTokenSource _stopping = new();
        private int _requests;

        private FakeJudgeServer(WebApplication app) => _app = app;

        public Uri BaseAddress { get; private set; } = null!;

        public int Requests => Volatile.Read(ref _requests);

        public string LastPrompt { get; private set; } = "";

        public static async Task<FakeJudgeServer> StartAsync(CancellationToken ct, int failuresBeforeSuccess = 0, bool hang = false, string? verdictOverride = null)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var server = new FakeJudgeServer(app);
            app.MapPost("/v1/chat/completions", async (HttpContext context) =>
            {
                var count = Interlocked.Increment(ref server._requests);
                using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
                var prompt = string.Join("\n", body.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("content").ToString()));
                server.LastPrompt = prompt;
                if (hang)
                {
                    await Task.Delay(Timeout.Infinite, CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, server._stopping.Token).Token).ContinueWith(_ => { }, TaskScheduler.Default);
                    return Results.StatusCode(499);
                }

                if (count <= failuresBeforeSuccess)
                {
                    return Results.Json(new { error = new { message = "overloaded", type = "server_error" } }, statusCode: (int)HttpStatusCode.ServiceUnavailable);
                }

                var ids = CriterionId().Matches(prompt).Select(m => m.Groups[1].Value).Distinct().ToList();
                var verdict = verdictOverride ?? JsonSerializer.Serialize(new { criteria = ids.Select((id, i) => new { id, met = i != 0, reason = i == 0 ? "missing" : "ok" }) });
                return Results.Json(new
                {
                    id = $"chatcmpl-{count}",
                    @object = "chat.completion",
                    created = 1_700_000_000,
                    model = body.RootElement.GetProperty("model").GetString(),
                    choices = new[] { new { index = 0, message = new { role = "assistant", content = verdict }, finish_reason = "stop" } },
                    usage = new { prompt_tokens = 10, completion_tokens = 10, total_tokens = 20 },
                });
            });
            await app.StartAsync(ct);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            server.BaseAddress = new Uri(address.TrimEnd('/') + "/v1");
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await _stopping.CancelAsync();
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
            _stopping.Dispose();
        }

        [GeneratedRegex(@"^\[([a-z0-9-]+)\]", RegexOptions.Multiline)]
        private static partial Regex CriterionId();
    }
}
