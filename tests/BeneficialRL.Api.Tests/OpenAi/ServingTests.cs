using System.Net;
using System.Net.Http.Json;
using BeneficialRL.Api.Tests.Infrastructure;
using BeneficialRL.Contracts.Inference;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Grains.Inference;
using BeneficialRL.Learning.Serving;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace BeneficialRL.Api.Tests.OpenAi;

/// <summary>How the trainer silo serves checkpoints: a bounded LRU of loaded checkpoints, and contracts that cross the wire.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "OpenAI")]
public sealed class ServingTests(ApiFixture fixture)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task CompleteAsync(ServedCheckpoint served)
    {
        var response = await served.Client.PostAsJsonAsync("/v1/completions", new { model = served.Id, prompt = "The doctor said", max_tokens = 2, temperature = 0 }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task LoadedCheckpoints_PastTheBound_UnloadTheLeastRecentlyUsed_AndReloadOnDemand()
    {
        var loaded = fixture.Services.GetRequiredService<LoadedCheckpoints>();
        using var a = await ServedCheckpoint.ImportAsync(fixture, seed: 1);
        using var b = await ServedCheckpoint.ImportAsync(fixture, seed: 2);
        using var c = await ServedCheckpoint.ImportAsync(fixture, seed: 3);
        string Key(ServedCheckpoint s) => ResourceKey.For(s.Tenant, s.Id);

        await CompleteAsync(a);
        await CompleteAsync(b);
        await CompleteAsync(c);
        Assert.Equal([Key(c), Key(b)], loaded.Keys);

        await CompleteAsync(b);
        Assert.Equal([Key(b), Key(c)], loaded.Keys);
        await CompleteAsync(a);
        Assert.Equal([Key(a), Key(b)], loaded.Keys);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ClientGoesAway_TheGrainPassesTheAbortToTheEngine_AndTheRequestNeverRuns(bool stream)
    {
        using var served = await ServedCheckpoint.ImportAsync(fixture, seed: 4);
        await CompleteAsync(served);
        var loaded = fixture.Services.GetRequiredService<LoadedCheckpoints>();
        using var lease = await loaded.AcquireAsync(ResourceKey.For(served.Tenant, served.Id), Ct);
        var engine = lease.Engine;
        await WaitUntilAsync(() => engine.Pending == 0, "the warm-up request is answered");
        var before = engine.RequestsRun;

        // Hold the engine's thread inside a decoding step, so nothing it is given afterwards can run or be dropped by it.
        using var release = new ManualResetEventSlim();
        using var held = new SemaphoreSlim(0);
        var holder = engine.RunAsync(
            [new InferenceRequest { PromptIds = engine.Template.RenderPlain("The doctor said"), MaxNewTokens = 8, Temperature = 0 }],
            (_, _, _) =>
            {
                held.Release();
                release.Wait();
            });
        try
        {
            Assert.True(await held.WaitAsync(TimeSpan.FromSeconds(60), Ct), "The holding request produced no text, so the engine's thread was never held.");
            using var abort = new CancellationTokenSource();
            var call = served.Client.PostAsJsonAsync("/v1/completions", new { model = served.Id, prompt = "The doctor said", max_tokens = 200, temperature = 0, stream }, abort.Token);
            await WaitUntilAsync(() => engine.Pending == 2, "the request reaches the engine");
            await abort.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

            // The abort travels from the server through the grain call to the engine, which answers the submission as
            // cancelled while its thread is still held: only a passed-on token can do that.
            await WaitUntilAsync(() => engine.Pending == 1, "the engine hears of the abort");
        }
        finally
        {
            release.Set();
        }

        await holder;
        await CompleteAsync(served);
        Assert.Equal(before + 2, engine.RequestsRun);
    }

    private async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        // A bound on liveness, not a timing assertion: the condition holds within milliseconds when the code is right.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Still waiting after 60 s for {what}.");
            await Task.Delay(10, Ct);
        }
    }

    [Fact]
    public void InferenceContracts_RoundTripThroughOrleansSerializer()
    {
        var serializer = fixture.Services.GetRequiredService<Serializer>();
        T RoundTrip<T>(T value) => serializer.Deserialize<T>(serializer.SerializeToArray(value));

        var job = new InferenceJob
        {
            Prompts = [new InferencePrompt { Text = "hi" }, new InferencePrompt { TokenIds = [1, 2] }, new InferencePrompt { Messages = [new InferenceMessage("user", "x")] }],
            MaxTokens = 3,
            Temperature = 0.5,
            TopP = 0.9,
            Stop = ["\n"],
            N = 2,
            Seed = 7,
            Echo = true,
            TopLogProbs = 2,
        };
        var back = RoundTrip(job);
        Assert.Equal(job with { Prompts = [], Stop = [] }, back with { Prompts = [], Stop = [] });
        Assert.Equal([1, 2], back.Prompts[1].TokenIds!);
        Assert.Equal("x", back.Prompts[2].Messages![0].Content);
        Assert.Equal(["\n"], back.Stop);

        var outcome = new InferenceOutcome
        {
            Prompts =
            [
                new InferencePromptResult
                {
                    PromptTokens = 4,
                    Choices = [new InferenceChoiceResult { Text = "ok", FinishReason = "stop", CompletionTokens = 1, LogProbs = [new TokenLogProbEntry { Token = "ok", TokenId = 5, LogProb = -0.5f, Top = [new TokenCandidate("ok", -0.5f)] }] }],
                },
            ],
        };
        var outcomeBack = RoundTrip(outcome);
        Assert.Equal(-0.5f, outcomeBack.Prompts[0].Choices[0].LogProbs![0].LogProb);
        Assert.Equal("ok", outcomeBack.Prompts[0].Choices[0].LogProbs![0].Top[0].Token);
        Assert.Equal(new InferenceError("n", "bad", null), RoundTrip(new InferenceDelta { Error = new InferenceError("n", "bad", null) }).Error);
        Assert.Equal(11, RoundTrip(new InferenceDelta { PromptTokens = 11, CompletionTokens = 3 }).PromptTokens);
        Assert.Equal([3, 4], RoundTrip(new TokenizeOutcome { Tokens = [3, 4], MaxModelLength = 512 }).Tokens);
    }
}
