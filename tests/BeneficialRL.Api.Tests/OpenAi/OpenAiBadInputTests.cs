using System.Net;
using System.Text;
using System.Text.Json;
using BeneficialRL.Api.Tests.Infrastructure;

namespace BeneficialRL.Api.Tests.OpenAi;

/// <summary>Bad input on the OpenAI-compatible routes: 4xx in OpenAI's error envelope naming the <c>param</c>, never a 5xx.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "OpenAI")]
public sealed class OpenAiBadInputTests(ApiFixture fixture)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, int, string?> Cases => new()
    {
        { "/v1/completions", """{"prompt": "hi"}""", 400, "model" },
        { "/v1/completions", """{"model": "ckpt-nope", "prompt": "hi"}""", 404, "model" },
        { "/v1/completions", """{"model": "$M"}""", 400, "prompt" },
        { "/v1/completions", """{"model": "$M", "prompt": 5}""", 400, "prompt" },
        { "/v1/completions", """{"model": "$M", "prompt": [[1, -2]]}""", 400, "prompt[0][1]" },
        { "/v1/completions", """{"model": "$M", "prompt": [999999]}""", 400, "prompt" },
        { "/v1/completions", """{"model": "$M", "prompt": "hi", "temperature": 3}""", 400, "temperature" },
        { "/v1/completions", """{"model": "$M", "prompt": "hi", "top_p": 0}""", 400, "top_p" },
        { "/v1/completions", """{"model": "$M", "prompt": "hi", "max_tokens": -1}""", 400, "max_tokens" },
        { "/v1/completions", """{"model": "$M", "prompt": "hi", "max_tokens": 100000}""", 400, "max_tokens" },
        { "/v1/completions", """{"model": "$M", "prompt": "hi", "n": 0}""", 400, "n" },
        { "/v1/completions", """{"model": "$M", "prompt": "hi", "logprobs": 50}""", 400, "logprobs" },
        { "/v1/completions", """{"model": "$M", "prompt": "hi", "stop": [""]}""", 400, "stop[0]" },
        { "/v1/completions", """{"model": "$M", "prompt": "hi", "stop": 3}""", 400, "stop" },
        { "/v1/completions", """{"model": "$M", "prompt": "hi", "echo": "yes"}""", 400, "echo" },
        { "/v1/completions", """{"model": "$M", "prompt": "hi", "max_tokens": 0}""", 400, "max_tokens" },
        { "/v1/completions", """{"model": "$M", "prompt": "hi", "logit_bias": {"5": 100}}""", 400, "logit_bias" },
        { "/v1/completions", """{"model": "$M", "prompt": "hi", "stream_options": 1}""", 400, "stream_options" },
        { "/v1/completions", """{"model": "$M", "prompt": """, 400, null },
        { "/v1/chat/completions", """{"model": "$M", "messages": []}""", 400, "messages" },
        { "/v1/chat/completions", """{"model": "$M", "messages": [{"role": "tool", "content": "x"}]}""", 400, "messages[0].role" },
        { "/v1/chat/completions", """{"model": "$M", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}]}""", 400, "messages[0].content[0]" },
        { "/v1/chat/completions", """{"model": "$M", "messages": [{"role": "user", "content": "x"}], "top_logprobs": 2}""", 400, "top_logprobs" },
        { "/v1/chat/completions", """{"model": "$M", "messages": [{"role": "user", "content": "x"}], "tools": [{"type": "function"}]}""", 400, "tools" },
        { "/v1/chat/completions", """{"model": "$M", "messages": [{"role": "user", "content": "x"}], "max_completion_tokens": 100000}""", 400, "max_tokens" },
        { "/tokenize", """{"prompt": "hi"}""", 400, "model" },
        { "/tokenize", """{"model": "$M"}""", 400, "prompt" },
        { "/detokenize", """{"model": "$M", "tokens": [999999]}""", 400, "tokens[0]" },
        { "/detokenize", """{"model": "$M", "tokens": ["a"]}""", 400, "tokens[0]" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadRequest_AnswersOpenAiEnvelopeNamingTheParam(string route, string body, int status, string? param)
    {
        using var served = await ServedCheckpoint.ImportAsync(fixture);
        var response = await served.Client.PostAsync(route, new StringContent(body.Replace("$M", served.Id, StringComparison.Ordinal), Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == (int)response.StatusCode, $"{(int)response.StatusCode}: {text}");
        using var json = JsonDocument.Parse(text);
        var error = json.RootElement.GetProperty("error");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(status == 404 ? "invalid_request_error" : "invalid_request_error", error.GetProperty("type").GetString());
        if (param is null) Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        else Assert.Equal(param, error.GetProperty("param").GetString());
        if (status == 404) Assert.Equal("model_not_found", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task NoKey_Is401InTheOpenAiEnvelope()
    {
        using var anonymous = fixture.Client(null);
        var response = await anonymous.GetAsync("/v1/models", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = (await response.JsonAsync()).GetProperty("error");
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task ContextOverflow_IsContextLengthExceeded_AndTheModelStillServes()
    {
        using var served = await ServedCheckpoint.ImportAsync(fixture);
        var tooLong = Enumerable.Repeat(5, 600).ToArray();
        var response = await served.Client.PostAsync("/v1/completions",
            new StringContent(JsonSerializer.Serialize(new { model = served.Id, prompt = tooLong, max_tokens = 1 }), Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("context_length_exceeded", (await response.JsonAsync()).GetProperty("error").GetProperty("code").GetString());

        var ok = await served.Client.PostAsync("/v1/completions",
            new StringContent(JsonSerializer.Serialize(new { model = served.Id, prompt = "hi", max_tokens = 2 }), Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }
}
