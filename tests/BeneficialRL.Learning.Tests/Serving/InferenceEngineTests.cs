using BeneficialRL.Learning.Chat;
using BeneficialRL.Learning.Generation;
using BeneficialRL.Learning.Scoring;
using BeneficialRL.Learning.Serving;

namespace BeneficialRL.Learning.Tests.Serving;

public sealed class InferenceEngineTests
{
    private static InferenceRequest Greedy(IReadOnlyList<int> prompt, int maxNewTokens = 6) =>
        new() { PromptIds = prompt, MaxNewTokens = maxNewTokens, Temperature = 0, TopLogProbs = 2, Echo = true };

    private static List<IReadOnlyList<int>> Prompts()
    {
        var template = new ChatTemplate(TestWorld.Tokenizer);
        return [.. TestWorld.Corpus.Select(text => (IReadOnlyList<int>)template.RenderPlain(text))];
    }

    [Fact]
    public async Task RunAsync_RequestsWaitingTogether_RunAsOneBatchWithTheResultsEachGetsAlone()
    {
        var prompts = Prompts();
        IReadOnlyList<InferenceResult> alone;
        using (var serial = new InferenceEngine(TestWorld.NewModel(), TestWorld.Tokenizer, new InferenceEngineOptions { Batching = false }))
        {
            alone = [.. (await Task.WhenAll(prompts.Select(p => serial.RunAsync([Greedy(p)])))).Select(r => r[0])];
            Assert.Equal(prompts.Count, serial.Batches);
        }

        using var engine = new InferenceEngine(TestWorld.NewModel(), TestWorld.Tokenizer);
        // A long request keeps the engine busy while the others queue: they then run as one batch.
        var busy = engine.RunAsync([Greedy(prompts[0], maxNewTokens: 60)]);
        var together = await Task.WhenAll(prompts.Select(p => engine.RunAsync([Greedy(p)])));
        await busy;

        Assert.InRange(engine.Batches, 1, 2);
        for (var i = 0; i < prompts.Count; i++)
        {
            var (a, b) = (alone[i].Choices[0], together[i][0].Choices[0]);
            Assert.Equal(a.CompletionIds, b.CompletionIds);
            Assert.Equal(a.Text, b.Text);
            Assert.Equal(a.LogProbs!.Count, b.LogProbs!.Count);
            for (var t = 1; t < a.LogProbs.Count; t++) Assert.Equal(a.LogProbs[t].LogProb!.Value, b.LogProbs[t].LogProb!.Value, 3);
        }
    }

    [Fact]
    public async Task RunAsync_EchoWithoutGeneration_ScoresPromptTokensAsTheScorerDoes()
    {
        var template = new ChatTemplate(TestWorld.Tokenizer);
        var context = template.RenderPlain("Pick a fruit.");
        var option = TestWorld.Tokenizer.Encode(" I pick mango.");
        using var model = TestWorld.NewModel();
        var expected = new LogLikelihoodScorer(model, TestWorld.Tokenizer).ScoreBatch([new ScoringRequest(context, option)])[0];
        using var engine = new InferenceEngine(TestWorld.NewModel(), TestWorld.Tokenizer);

        var result = (await engine.RunAsync([new InferenceRequest { PromptIds = [.. context, .. option], MaxNewTokens = 0, Echo = true, TopLogProbs = 1 }]))[0];

        var logProbs = result.Choices[0].LogProbs!;
        Assert.Null(logProbs[0].LogProb);
        Assert.Equal(context.Count + option.Count, logProbs.Count);
        Assert.Equal(expected.SumLogProb, logProbs.Skip(context.Count).Sum(t => (double)t.LogProb!.Value), 3);
        Assert.Equal(FinishReason.Length, result.Choices[0].FinishReason);
    }

    [Fact]
    public async Task RunAsync_GreedyOneTokenWithLogprobs_ScoredInOnePass_EqualsTheGeneratedToken()
    {
        using var engine = new InferenceEngine(TestWorld.NewModel(), TestWorld.Tokenizer);
        var prompt = new ChatTemplate(TestWorld.Tokenizer).RenderPlain("I pick");
        var request = new InferenceRequest { PromptIds = prompt, MaxNewTokens = 1, Temperature = 0, TopLogProbs = 3, Echo = true };

        var scored = (await engine.RunAsync([request]))[0].Choices[0];
        // A stop sequence that never occurs sends the same request through the generator.
        var generated = (await engine.RunAsync([request with { Stop = ["\u0001"] }]))[0].Choices[0];

        Assert.Equal(generated.CompletionIds, scored.CompletionIds);
        Assert.Equal(generated.Text, scored.Text);
        Assert.Equal(generated.LogProbs![^1].LogProb!.Value, scored.LogProbs![^1].LogProb!.Value, 4);
        Assert.Equal(scored.LogProbs[^1].Top[0].TokenId, scored.CompletionIds[0]);
        Assert.Equal(prompt.Count + 1, scored.LogProbs.Count);
    }

    [Fact]
    public async Task RunAsync_Streaming_DeltasConcatenateToTheTextAndStopBeforeAStopSequence()
    {
        using var engine = new InferenceEngine(TestWorld.NewModel(), TestWorld.Tokenizer);
        var prompt = new ChatTemplate(TestWorld.Tokenizer).RenderPlain("Name a fruit.");
        var plain = (await engine.RunAsync([new InferenceRequest { PromptIds = prompt, MaxNewTokens = 20, Temperature = 0 }]))[0].Choices[0].Text;
        Assert.True(plain.Length > 2, plain);
        var stop = plain.Substring(plain.Length / 2, 2);
        var streamed = new System.Text.StringBuilder();

        var result = (await engine.RunAsync([new InferenceRequest { PromptIds = prompt, MaxNewTokens = 20, Temperature = 0, Stop = [stop] }], (_, _, delta) => streamed.Append(delta)))[0];

        Assert.Equal(result.Choices[0].Text, streamed.ToString());
        Assert.Equal(plain[..plain.IndexOf(stop, StringComparison.Ordinal)], streamed.ToString());
    }

    [Fact]
    public async Task RunAsync_SeededSampling_RepeatsAcrossCallsAndBatches()
    {
        using var engine = new InferenceEngine(TestWorld.NewModel(), TestWorld.Tokenizer);
        var prompt = new ChatTemplate(TestWorld.Tokenizer).RenderPlain("Name a fruit.");
        var request = new InferenceRequest { PromptIds = prompt, MaxNewTokens = 12, Temperature = 1, Seed = 42, N = 3 };
        var first = (await engine.RunAsync([request]))[0];
        var noise = engine.RunAsync([request with { Seed = null }]);
        var second = (await engine.RunAsync([request]))[0];
        await noise;

        Assert.Equal(first.Choices.Select(c => c.CompletionIds.ToArray()), second.Choices.Select(c => c.CompletionIds.ToArray()));
    }

    [Fact]
    public async Task RunAsync_ShortRequestArrivingDuringALongOne_JoinsItAndFinishesFirst()
    {
        using var engine = new InferenceEngine(TestWorld.NewModel(), TestWorld.Tokenizer);
        var prompt = new ChatTemplate(TestWorld.Tokenizer).RenderPlain("Name a fruit.");
        var alone = (await engine.RunAsync([Greedy(prompt, maxNewTokens: 3)]))[0].Choices[0];
        Task<IReadOnlyList<InferenceResult>>? shortRun = null;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var submitted = new ManualResetEventSlim();
        var deltasAfterShortEnded = 0;

        // The callbacks run on the engine's thread, between decoding steps, so what they see is exact; the first holds
        // the engine until the short request is queued, so it arrives while the long one decodes, however slow the machine.
        var longRun = engine.RunAsync([new InferenceRequest { PromptIds = prompt, MaxNewTokens = 80, Temperature = 0 }], (_, _, _) =>
        {
            if (started.TrySetResult()) submitted.Wait(TimeSpan.FromMinutes(1));
            if (shortRun?.IsCompleted == true) deltasAfterShortEnded++;
        });
        await started.Task;
        shortRun = engine.RunAsync([Greedy(prompt, maxNewTokens: 3)]);
        submitted.Set();
        var joined = (await shortRun)[0].Choices[0];
        await longRun;

        Assert.True(deltasAfterShortEnded > 0, "the long request streamed nothing after the short one finished");
        Assert.Equal(alone.CompletionIds, joined.CompletionIds);
        Assert.Equal(2, engine.Batches);
    }

    [Fact]
    public async Task RunAsync_CancelledWhileDecoding_LeavesTheBatchAndTheEngineServesOn()
    {
        using var engine = new InferenceEngine(TestWorld.NewModel(), TestWorld.Tokenizer);
        var prompt = new ChatTemplate(TestWorld.Tokenizer).RenderPlain("Name a fruit.");
        using var cancel = new CancellationTokenSource();
        var deltas = 0;

        var cancelled = engine.RunAsync([new InferenceRequest { PromptIds = prompt, MaxNewTokens = 80, Temperature = 0 }], (_, _, _) =>
        {
            if (++deltas == 2) cancel.Cancel();
        }, cancel.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        var next = (await engine.RunAsync([Greedy(prompt, maxNewTokens: 3)]))[0];

        Assert.Equal(2, deltas);
        Assert.Equal(3, next.Choices[0].CompletionIds.Count);
        Assert.Equal(1, engine.RequestsRun);
    }

    [Fact]
    public async Task RunAsync_CancelledBeforeItIsTaken_OpensNoBusyPeriod()
    {
        using var engine = new InferenceEngine(TestWorld.NewModel(), TestWorld.Tokenizer);
        var prompt = new ChatTemplate(TestWorld.Tokenizer).RenderPlain("Name a fruit.");
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.RunAsync([Greedy(prompt)], cancellationToken: cancel.Token));
        Assert.Equal(0, engine.Batches);
        await engine.RunAsync([Greedy(prompt, maxNewTokens: 2)]);

        Assert.Equal(1, engine.Batches);
        Assert.Equal(1, engine.RequestsRun);
    }

    [Fact]
    public void Validate_PromptPastTheContext_NamesMaxTokens()
    {
        using var engine = new InferenceEngine(TestWorld.NewModel(), TestWorld.Tokenizer);
        var error = Assert.Throws<ArgumentException>(() => engine.Validate(new InferenceRequest { PromptIds = [.. Enumerable.Repeat(1, 90)], MaxNewTokens = 10 }));
        Assert.Equal("max_tokens", error.ParamName);
        Assert.Equal("prompt", Assert.Throws<ArgumentException>(() => engine.Validate(new InferenceRequest { PromptIds = [-1] })).ParamName);
    }
}
