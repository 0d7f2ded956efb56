using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BeneficialRL.Api.Tests.Infrastructure;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Learning.Scoring;

namespace BeneficialRL.Api.Tests.OpenAi;

/// <summary>
/// Requests in the exact shapes lm-evaluation-harness (<c>local-completions</c>) and Inspect (<c>openai-api</c>) send,
/// pinned as fixtures, read the way those harnesses read the answers.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "OpenAI")]
public sealed class HarnessShapeTests(ApiFixture fixture)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonObject Fixture(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "OpenAi", "Fixtures", name)))!.AsObject();

    private async Task<int[]> TokenizeAsync(ServedCheckpoint served, string text, bool addSpecialTokens)
    {
        // The remote-tokenizer call lm-eval makes: POST {base}/tokenize {"prompt", "add_special_tokens"} at the checkpoint's base URL.
        var response = await served.Client.PostAsJsonAsync($"/checkpoints/{served.Id}/tokenize", new { prompt = text, add_special_tokens = addSpecialTokens }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(body.GetProperty("tokens").GetArrayLength(), body.GetProperty("count").GetInt32());
        return [.. body.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32())];
    }

    [Fact]
    public async Task LmEvalLoglikelihood_EchoedPromptLogprobs_EqualOurScorersLogLikelihoodPerOption()
    {
        using var served = await ServedCheckpoint.ImportAsync(fixture);
        var context = await TokenizeAsync(served, "Question: what should I do about a mild headache? Answer:", addSpecialTokens: true);
        string[] options = [" rest, water, and see a doctor if it persists.", " drink water.", " Be honest"];
        var continuations = new List<int[]>();
        foreach (var option in options) continuations.Add(await TokenizeAsync(served, option, addSpecialTokens: false));

        var request = Fixture("lm-eval-loglikelihood.request.json");
        request["model"] = served.Id;
        request["prompt"] = new JsonArray([.. continuations.Select(c => (JsonNode)new JsonArray([.. context.Concat(c).Select(t => (JsonNode)t)]))]);
        var response = await served.Client.PostAsJsonAsync("/v1/completions", request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();

        // lm-eval's parse_logprobs: choices sorted by index; sum(token_logprobs[ctxlen:-1]); greedy when each equals max(top_logprobs).
        var choices = body.GetProperty("choices").EnumerateArray().OrderBy(c => c.GetProperty("index").GetInt32()).ToList();
        Assert.Equal(options.Length, choices.Count);
        using var checkpoint = Checkpoint.FromParts(new MemoryStream(served.Weights), new MemoryStream(served.Meta));
        using var model = checkpoint.CreateModel();
        var expected = new LogLikelihoodScorer(model, checkpoint.Tokenizer).ScoreBatch([.. continuations.Select(c => new ScoringRequest(context, c))]);
        for (var i = 0; i < options.Length; i++)
        {
            var logprobs = choices[i].GetProperty("logprobs");
            var tokenLogprobs = logprobs.GetProperty("token_logprobs").EnumerateArray().ToList();
            var top = logprobs.GetProperty("top_logprobs").EnumerateArray().ToList();
            // The whole prompt is echoed, plus the one generated token that lm-eval's [:-1] drops.
            Assert.Equal(context.Length + continuations[i].Length + 1, tokenLogprobs.Count);
            var slice = tokenLogprobs.Skip(context.Length).Take(continuations[i].Length).Select(t => t.GetDouble()).ToList();
            Assert.Equal(expected[i].SumLogProb, slice.Sum(), 3);
            // The greedy check lm-eval makes is meaningful: each top-1 map holds the most likely token, never less likely than the one scored.
            foreach (var (scored, map) in slice.Zip(top.Skip(context.Length)))
            {
                Assert.Single(map.EnumerateObject());
                Assert.True(map.EnumerateObject().Max(o => o.Value.GetDouble()) >= scored - 1e-6);
            }
        }

        // Different options, different likelihoods: the endpoint does not score at chance.
        Assert.NotEqual(expected[0].SumLogProb, expected[1].SumLogProb);
    }

    [Fact]
    public async Task LmEvalGenerateUntil_TokenPrompt_ReturnsTextPerChoiceIndexCutBeforeStop()
    {
        using var served = await ServedCheckpoint.ImportAsync(fixture);
        var request = Fixture("lm-eval-generate-until.request.json");
        request["model"] = served.Id;
        request["prompt"] = new JsonArray(new JsonArray([.. (await TokenizeAsync(served, "Question: what should I do?", true)).Select(t => (JsonNode)t)]));
        var response = await served.Client.PostAsJsonAsync("/v1/completions", request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        var choice = body.GetProperty("choices")[0];
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        var text = choice.GetProperty("text").GetString()!;
        Assert.DoesNotContain("\n\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Question:", text, StringComparison.Ordinal);
        Assert.Contains(choice.GetProperty("finish_reason").GetString(), new[] { "stop", "length" });
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
    }

    [Fact]
    public async Task CompletionStream_EchoAndUsage_SseChunksConcatenateToTheNonStreamedTextAndEndWithDone()
    {
        using var served = await ServedCheckpoint.ImportAsync(fixture);
        var request = new JsonObject { ["model"] = served.Id, ["prompt"] = "The doctor said", ["max_tokens"] = 6, ["temperature"] = 0, ["echo"] = true, ["n"] = 2 };
        var whole = await (await served.Client.PostAsJsonAsync("/v1/completions", request, Ct)).JsonAsync();
        request["stream"] = true;
        request["stream_options"] = new JsonObject { ["include_usage"] = true };
        using var streamed = await served.Client.PostAsJsonAsync("/v1/completions", request, Ct);
        Assert.Equal("text/event-stream", streamed.Content.Headers.ContentType?.MediaType);
        var lines = (await streamed.Content.ReadAsStringAsync(Ct)).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("data: [DONE]", lines[^1]);
        var chunks = lines[..^1].Select(l => JsonDocument.Parse(l["data: ".Length..]).RootElement).ToList();
        var usage = chunks[^1];
        Assert.Equal(0, usage.GetProperty("choices").GetArrayLength());
        Assert.Equal(whole.GetProperty("usage").GetRawText(), usage.GetProperty("usage").GetRawText());
        for (var index = 0; index < 2; index++)
        {
            var parts = chunks.SelectMany(c => c.GetProperty("choices").EnumerateArray()).Where(c => c.GetProperty("index").GetInt32() == index).ToList();
            Assert.Equal(whole.GetProperty("choices")[index].GetProperty("text").GetString(), string.Concat(parts.Select(p => p.GetProperty("text").GetString())));
            Assert.Equal(whole.GetProperty("choices")[index].GetProperty("finish_reason").GetString(), parts[^1].GetProperty("finish_reason").GetString());
            Assert.All(chunks, c => Assert.Equal("text_completion", c.GetProperty("object").GetString()));
        }
    }

    [Fact]
    public async Task InspectChat_TextPartsPenaltiesAndLogprobs_AnswersInTheShapeInspectReads()
    {
        using var served = await ServedCheckpoint.ImportAsync(fixture);
        var request = Fixture("inspect-openai-api-chat.request.json");
        request["model"] = served.Id;
        var response = await served.Client.PostAsJsonAsync("/v1/chat/completions", request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();

        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.Equal(served.Id, body.GetProperty("model").GetString());
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.String, choice.GetProperty("message").GetProperty("content").ValueKind);
        var content = choice.GetProperty("logprobs").GetProperty("content").EnumerateArray().ToList();
        Assert.Equal(body.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), content.Count);
        foreach (var token in content)
        {
            Assert.Equal(JsonValueKind.String, token.GetProperty("token").ValueKind);
            Assert.Equal(JsonValueKind.Array, token.GetProperty("bytes").ValueKind);
            Assert.Equal(2, token.GetProperty("top_logprobs").GetArrayLength());
        }

        // The same conversation through /tokenize counts the prompt tokens the completion reports.
        var tokenized = await (await served.Client.PostAsJsonAsync($"/checkpoints/{served.Id}/tokenize", new { messages = request["messages"] }, Ct)).JsonAsync();
        Assert.Equal(tokenized.GetProperty("count").GetInt32(), body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task TokenizerRoutes_VllmShapes_RoundTripWithoutAddingBosToIds()
    {
        using var served = await ServedCheckpoint.ImportAsync(fixture);
        var info = await (await served.Client.GetAsync($"/checkpoints/{served.Id}/tokenizer_info", Ct)).JsonAsync();
        Assert.Equal("<|eos|>", info.GetProperty("eos_token").GetString());
        Assert.Equal("<|bos|>", info.GetProperty("bos_token").GetString());
        Assert.Contains("add_generation_prompt", info.GetProperty("chat_template").GetString(), StringComparison.Ordinal);
        Assert.Equal(info.GetRawText(), (await (await served.Client.GetAsync($"/tokenizer_info?model={served.Id}", Ct)).JsonAsync()).GetRawText());

        var plain = await TokenizeAsync(served, "The doctor said", addSpecialTokens: false);
        var withBos = await TokenizeAsync(served, "The doctor said", addSpecialTokens: true);
        Assert.Equal(info.GetProperty("bos_token_id").GetInt32(), withBos[0]);
        Assert.Equal(plain, withBos[1..]);
        var detokenized = await (await served.Client.PostAsJsonAsync("/detokenize", new { model = served.Id, tokens = plain }, Ct)).JsonAsync();
        Assert.Equal("The doctor said", detokenized.GetProperty("prompt").GetString());

        // Token ids are used as given: the echoed prompt starts with the first id sent, not with a BOS.
        var echoed = await (await served.Client.PostAsJsonAsync("/v1/completions", new { model = served.Id, prompt = plain, max_tokens = 0, echo = true, logprobs = 0 }, Ct)).JsonAsync();
        var logprobs = echoed.GetProperty("choices")[0].GetProperty("logprobs");
        Assert.Equal(plain.Length, logprobs.GetProperty("tokens").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, logprobs.GetProperty("token_logprobs")[0].ValueKind);
        Assert.Equal(plain.Length, echoed.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Models_ListsOnlyThisTenantsServableCheckpoints()
    {
        using var served = await ServedCheckpoint.ImportAsync(fixture);
        using var other = await ServedCheckpoint.ImportAsync(fixture);
        var list = await (await served.Client.GetAsync("/v1/models", Ct)).JsonAsync();
        Assert.Equal("list", list.GetProperty("object").GetString());
        var ids = list.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Equal([served.Id], ids);
        Assert.Equal("model", list.GetProperty("data")[0].GetProperty("object").GetString());

        var foreign = await other.Client.PostAsJsonAsync("/v1/chat/completions", new { model = served.Id, messages = new[] { new { role = "user", content = "hi" } } }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal("model_not_found", (await foreign.JsonAsync()).GetProperty("error").GetProperty("code").GetString());
    }
}
