using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using BeneficialRL.Api.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace BeneficialRL.Api.Tests.OpenAi;

/// <summary>The official OpenAI .NET SDK against a real silo host serving a real (tiny) checkpoint.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "OpenAI")]
public sealed class OpenAiSdkTests(ApiFixture fixture)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private OpenAIClientOptions Options(string path = "/v1") => new()
    {
        Endpoint = new Uri(fixture.BaseAddress, path),
        // A failure must show, not be retried away.
        RetryPolicy = new ClientRetryPolicy(0),
    };

    [Fact]
    public async Task Chat_GreedyWithLogprobs_ReturnsTextFinishReasonUsageAndOneLogprobPerToken()
    {
        using var served = await ServedCheckpoint.ImportAsync(fixture);
        var chat = new ChatClient(served.Id, new ApiKeyCredential(served.Key), Options());
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 6, Temperature = 0, IncludeLogProbabilities = true, TopLogProbabilityCount = 3 };

        ChatCompletion completion = await chat.CompleteChatAsync([new SystemChatMessage("You are a careful assistant."), new UserChatMessage("The doctor said to rest.")], options, Ct);

        Assert.Contains(completion.FinishReason, new[] { ChatFinishReason.Stop, ChatFinishReason.Length });
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.InRange(completion.Usage.OutputTokenCount, 1, 6);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
        Assert.Equal(completion.Usage.OutputTokenCount, completion.ContentTokenLogProbabilities.Count);
        foreach (var token in completion.ContentTokenLogProbabilities)
        {
            Assert.True(token.LogProbability <= 0);
            Assert.Equal(3, token.TopLogProbabilities.Count);
            // Greedy: the chosen token is the most likely one.
            Assert.Equal(token.TopLogProbabilities[0].LogProbability, token.LogProbability, 4);
        }

        // Greedy decoding is deterministic.
        ChatCompletion again = await chat.CompleteChatAsync([new SystemChatMessage("You are a careful assistant."), new UserChatMessage("The doctor said to rest.")], options, Ct);
        Assert.Equal(completion.Content.Count == 0 ? "" : completion.Content[0].Text, again.Content.Count == 0 ? "" : again.Content[0].Text);
    }

    [Fact]
    public async Task ChatStreaming_Greedy_ConcatenatesToTheNonStreamedTextAndEndsWithUsage()
    {
        using var served = await ServedCheckpoint.ImportAsync(fixture);
        var chat = new ChatClient(served.Id, new ApiKeyCredential(served.Key), Options());
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 12, Temperature = 0 };
        ChatMessage[] messages = [new UserChatMessage("Question: what should I do about a mild headache?")];
        ChatCompletion whole = await chat.CompleteChatAsync(messages, options, Ct);

        var text = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        var updates = 0;
        await foreach (var update in chat.CompleteChatStreamingAsync(messages, options, Ct))
        {
            updates++;
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.True(updates >= 2, $"{updates} updates");
        Assert.Equal(whole.Content.Count == 0 ? "" : whole.Content[0].Text, text.ToString());
        Assert.Equal(whole.FinishReason, finish);
        Assert.NotNull(usage);
        Assert.Equal(whole.Usage.OutputTokenCount, usage.OutputTokenCount);
        Assert.Equal(whole.Usage.InputTokenCount, usage.InputTokenCount);
    }

    [Fact]
    public async Task ChatStreaming_WithLogprobs_ChunksCarryTheNonStreamedLogprobs()
    {
        using var served = await ServedCheckpoint.ImportAsync(fixture);
        var chat = new ChatClient(served.Id, new ApiKeyCredential(served.Key), Options());
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 10, Temperature = 0, IncludeLogProbabilities = true, TopLogProbabilityCount = 3 };
        ChatMessage[] messages = [new UserChatMessage("The doctor said to rest.")];
        ChatCompletion whole = await chat.CompleteChatAsync(messages, options, Ct);

        var streamed = new List<ChatTokenLogProbabilityDetails>();
        await foreach (var update in chat.CompleteChatStreamingAsync(messages, options, Ct))
        {
            streamed.AddRange(update.ContentTokenLogProbabilities);
        }

        Assert.NotEmpty(whole.ContentTokenLogProbabilities);
        Assert.Equal(whole.ContentTokenLogProbabilities.Select(t => t.Token), streamed.Select(t => t.Token));
        Assert.Equal(whole.ContentTokenLogProbabilities.Select(t => Math.Round(t.LogProbability, 4)), streamed.Select(t => Math.Round(t.LogProbability, 4)));
        Assert.All(streamed, t => Assert.Equal(3, t.TopLogProbabilities.Count));
    }

    [Fact]
    public async Task Chat_UnknownModelAndBadKey_AreOpenAiErrorsTheSdkReads()
    {
        using var served = await ServedCheckpoint.ImportAsync(fixture);
        var missing = new ChatClient("ckpt-does-not-exist", new ApiKeyCredential(served.Key), Options());
        var notFound = await Assert.ThrowsAsync<ClientResultException>(() => missing.CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Ct));
        Assert.Equal(404, notFound.Status);
        Assert.Contains("does not exist", notFound.Message, StringComparison.Ordinal);

        var badKey = new ChatClient(served.Id, new ApiKeyCredential("brl_not-a-key"), Options());
        var unauthorized = await Assert.ThrowsAsync<ClientResultException>(() => badKey.CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Ct));
        Assert.Equal(401, unauthorized.Status);
        using var body = JsonDocument.Parse(unauthorized.GetRawResponse()!.Content);
        Assert.Equal("invalid_api_key", body.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task LegacyCompletions_ThroughTheSdkPipeline_EchoLogprobsCoverPromptAndCompletion()
    {
        using var served = await ServedCheckpoint.ImportAsync(fixture);
        // OpenAI 2.15 keeps its legacy completions client internal; the SDK's own pipeline (auth, headers) carries the request.
        var client = new ChatClient(served.Id, new ApiKeyCredential(served.Key), Options($"/checkpoints/{served.Id}/v1"));
        using var message = client.Pipeline.CreateMessage();
        message.Request.Method = "POST";
        message.Request.Uri = new Uri(fixture.BaseAddress, $"/checkpoints/{served.Id}/v1/completions");
        message.Request.Headers.Set("Content-Type", "application/json");
        message.Request.Content = BinaryContent.Create(BinaryData.FromObjectAsJson(new
        {
            model = served.Id,
            prompt = "The doctor said",
            max_tokens = 3,
            temperature = 0,
            logprobs = 2,
            echo = true,
        }));
        await client.Pipeline.SendAsync(message);

        Assert.Equal(200, message.Response!.Status);
        using var body = JsonDocument.Parse(message.Response.Content);
        var choice = body.RootElement.GetProperty("choices")[0];
        Assert.StartsWith("The doctor said", choice.GetProperty("text").GetString(), StringComparison.Ordinal);
        var logprobs = choice.GetProperty("logprobs");
        var tokens = logprobs.GetProperty("tokens").GetArrayLength();
        var usage = body.RootElement.GetProperty("usage");
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + usage.GetProperty("completion_tokens").GetInt32(), tokens);
        Assert.Equal("<|bos|>", logprobs.GetProperty("tokens")[0].GetString());
        Assert.Equal(JsonValueKind.Null, logprobs.GetProperty("token_logprobs")[0].ValueKind);
        Assert.Equal(JsonValueKind.Null, logprobs.GetProperty("top_logprobs")[0].ValueKind);
        for (var i = 1; i < tokens; i++)
        {
            Assert.True(logprobs.GetProperty("token_logprobs")[i].GetDouble() <= 0);
            Assert.Equal(2, logprobs.GetProperty("top_logprobs")[i].EnumerateObject().Count());
        }

        Assert.Equal(tokens, logprobs.GetProperty("text_offset").GetArrayLength());
    }
}
