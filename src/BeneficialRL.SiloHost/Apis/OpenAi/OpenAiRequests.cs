using System.Text.Json;
using BeneficialRL.Contracts.Inference;

namespace BeneficialRL.SiloHost.Apis.OpenAi;

/// <summary>
/// Reads OpenAI request bodies into <see cref="InferenceJob"/>s. The OpenAI shapes are polymorphic (a prompt is text,
/// token ids or a list of either; stop is a string or a list; content is text or parts), so the body is read as a JSON
/// document and every field checked by hand, each error naming its field as OpenAI's <c>param</c>. Members this server
/// does not use (user, penalties, metadata...) are ignored, as OpenAI-compatible servers do, so harnesses that send
/// them work; members whose effect it cannot honour (tools, logit_bias) are refused.
/// </summary>
public static class OpenAiRequests
{
    /// <summary>Most prompts in one completions request.</summary>
    public const int MaxPrompts = 256;

    /// <summary>Most choices per prompt.</summary>
    public const int MaxChoices = 16;

    /// <summary>Most stop sequences.</summary>
    public const int MaxStops = 16;

    /// <summary>A parsed request: the job, the model id, and streaming settings.</summary>
    public sealed record Parsed(InferenceJob Job, string Model, bool Stream, bool IncludeUsage);

    /// <summary>Thrown while parsing: the field at fault and why.</summary>
    public sealed class InvalidParamException(string? param, string message) : Exception(message)
    {
        /// <summary>The field.</summary>
        public string? Param { get; } = param;
    }

    /// <summary>A <c>/v1/completions</c> body.</summary>
    public static Parsed Completion(JsonElement body, string? routeModel)
    {
        var model = Model(body, routeModel);
        if (!body.TryGetProperty("prompt", out var prompt) || prompt.ValueKind == JsonValueKind.Null) throw new InvalidParamException("prompt", "'prompt' is required.");
        var prompts = Prompts(prompt);
        RefuseLogitBias(body);
        int? logprobs = Optional(body, "logprobs") is { } lp ? Int(lp, "logprobs", 0, 20) : null;
        var job = Common(body, prompts, "max_tokens") with
        {
            Echo = Optional(body, "echo") is { } echo && Bool(echo, "echo"),
            TopLogProbs = logprobs,
        };
        return new Parsed(job, model, Stream(body), IncludeUsage(body));
    }

    /// <summary>A <c>/v1/chat/completions</c> body.</summary>
    public static Parsed Chat(JsonElement body, string? routeModel)
    {
        var model = Model(body, routeModel);
        if (!body.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array) throw new InvalidParamException("messages", "'messages' must be an array of messages.");
        if (messages.GetArrayLength() == 0) throw new InvalidParamException("messages", "'messages' must hold at least one message.");
        if (Optional(body, "tools") is { ValueKind: JsonValueKind.Array } tools && tools.GetArrayLength() > 0) throw new InvalidParamException("tools", "This server does not call tools; send no 'tools'.");
        RefuseLogitBias(body);
        var turns = Messages(messages);
        var wantLogprobs = Optional(body, "logprobs") is { } lp && Bool(lp, "logprobs");
        int? top = Optional(body, "top_logprobs") is { } t ? Int(t, "top_logprobs", 0, 20) : null;
        if (top is not null && !wantLogprobs) throw new InvalidParamException("top_logprobs", "'top_logprobs' needs 'logprobs': true.");
        var maxField = Optional(body, "max_completion_tokens") is not null ? "max_completion_tokens" : "max_tokens";
        var job = Common(body, [new InferencePrompt { Messages = turns }], maxField) with { TopLogProbs = wantLogprobs ? top ?? 0 : null };
        return new Parsed(job, model, Stream(body), IncludeUsage(body));
    }

    /// <summary>The <c>messages</c> of a chat or tokenize body.</summary>
    public static InferenceMessage[] Messages(JsonElement messages)
    {
        var turns = new List<InferenceMessage>();
        var i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var at = $"messages[{i}]";
            if (message.ValueKind != JsonValueKind.Object) throw new InvalidParamException(at, $"'{at}' must be an object with 'role' and 'content'.");
            if (!message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String) throw new InvalidParamException($"{at}.role", $"'{at}.role' must be a string.");
            var roleName = role.GetString()!;
            if (roleName is not ("system" or "developer" or "user" or "assistant"))
                throw new InvalidParamException($"{at}.role", $"Role '{roleName}' is not supported; use system, developer, user or assistant.");
            turns.Add(new InferenceMessage(roleName, Content(Optional(message, "content"), $"{at}.content")));
            i++;
        }

        return [.. turns];
    }

    private static string Content(JsonElement? content, string at)
    {
        if (content is null) return string.Empty;
        var value = content.Value;
        if (value.ValueKind == JsonValueKind.String) return value.GetString()!;
        if (value.ValueKind != JsonValueKind.Array) throw new InvalidParamException(at, $"'{at}' must be a string or an array of text parts.");
        var text = new System.Text.StringBuilder();
        var j = 0;
        foreach (var part in value.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.GetString() != "text"
                || !part.TryGetProperty("text", out var partText) || partText.ValueKind != JsonValueKind.String)
                throw new InvalidParamException($"{at}[{j}]", $"'{at}[{j}]' must be a text part ({{\"type\": \"text\", \"text\": ...}}); this model reads text only.");
            text.Append(partText.GetString());
            j++;
        }

        return text.ToString();
    }

    private static InferenceJob Common(JsonElement body, InferencePrompt[] prompts, string maxField)
    {
        var n = Optional(body, "n") is { } nValue ? Int(nValue, "n", 1, MaxChoices) : 1;
        if ((long)n * prompts.Length > MaxPrompts) throw new InvalidParamException("n", $"At most {MaxPrompts} choices per request (prompts × n).");
        return new InferenceJob
        {
            Prompts = prompts,
            MaxTokens = Optional(body, maxField) is { } max ? Int(max, maxField, 0, 1 << 20) : null,
            Temperature = Optional(body, "temperature") is { } t ? Number(t, "temperature", 0, 2, inclusiveLow: true) : 1.0,
            TopP = Optional(body, "top_p") is { } p ? Number(p, "top_p", 0, 1, inclusiveLow: false) : 1.0,
            Stop = Stops(Optional(body, "stop")),
            N = n,
            Seed = Optional(body, "seed") is { } seed ? (seed.ValueKind == JsonValueKind.Number && seed.TryGetInt64(out var s) ? s : throw new InvalidParamException("seed", "'seed' must be an integer.")) : null,
        };
    }

    private static string Model(JsonElement body, string? routeModel)
    {
        if (body.ValueKind != JsonValueKind.Object) throw new InvalidParamException(null, "The body must be a JSON object.");
        var model = Optional(body, "model");
        if (routeModel is not null) return routeModel;
        if (model is not { ValueKind: JsonValueKind.String } m || string.IsNullOrEmpty(m.GetString())) throw new InvalidParamException("model", "'model' is required: the id of a checkpoint (GET /v1/models lists them).");
        return m.GetString()!;
    }

    private static InferencePrompt[] Prompts(JsonElement prompt)
    {
        switch (prompt.ValueKind)
        {
            case JsonValueKind.String:
                return [new InferencePrompt { Text = prompt.GetString() }];
            case JsonValueKind.Array when prompt.GetArrayLength() == 0:
                throw new InvalidParamException("prompt", "'prompt' cannot be an empty array.");
            case JsonValueKind.Array when prompt[0].ValueKind == JsonValueKind.Number:
                return [new InferencePrompt { TokenIds = TokenIds(prompt, "prompt") }];
            case JsonValueKind.Array:
                if (prompt.GetArrayLength() > MaxPrompts) throw new InvalidParamException("prompt", $"At most {MaxPrompts} prompts per request.");
                var prompts = new List<InferencePrompt>();
                var i = 0;
                foreach (var item in prompt.EnumerateArray())
                {
                    prompts.Add(item.ValueKind switch
                    {
                        JsonValueKind.String => new InferencePrompt { Text = item.GetString() },
                        JsonValueKind.Array => new InferencePrompt { TokenIds = TokenIds(item, $"prompt[{i}]") },
                        _ => throw new InvalidParamException($"prompt[{i}]", $"'prompt[{i}]' must be a string or an array of token ids."),
                    });
                    i++;
                }

                return [.. prompts];
            default:
                throw new InvalidParamException("prompt", "'prompt' must be a string, an array of strings, an array of token ids, or an array of such arrays.");
        }
    }

    /// <summary>An array of token ids.</summary>
    public static int[] TokenIds(JsonElement array, string at)
    {
        if (array.ValueKind != JsonValueKind.Array) throw new InvalidParamException(at, $"'{at}' must be an array of token ids.");
        if (array.GetArrayLength() == 0) throw new InvalidParamException(at, $"'{at}' cannot be empty.");
        var ids = new int[array.GetArrayLength()];
        var i = 0;
        foreach (var id in array.EnumerateArray())
        {
            if (id.ValueKind != JsonValueKind.Number || !id.TryGetInt32(out ids[i]) || ids[i] < 0) throw new InvalidParamException($"{at}[{i}]", $"'{at}[{i}]' must be a non-negative integer token id.");
            i++;
        }

        return ids;
    }

    private static string[] Stops(JsonElement? stop)
    {
        if (stop is null) return [];
        var value = stop.Value;
        string[] stops = value.ValueKind switch
        {
            JsonValueKind.String => [value.GetString()!],
            JsonValueKind.Array => [.. value.EnumerateArray().Select((s, i) => s.ValueKind == JsonValueKind.String ? s.GetString()! : throw new InvalidParamException($"stop[{i}]", $"'stop[{i}]' must be a string."))],
            _ => throw new InvalidParamException("stop", "'stop' must be a string or an array of strings."),
        };
        if (stops.Length > MaxStops) throw new InvalidParamException("stop", $"At most {MaxStops} stop sequences.");
        var empty = Array.FindIndex(stops, string.IsNullOrEmpty);
        if (empty >= 0) throw new InvalidParamException(value.ValueKind == JsonValueKind.Array ? $"stop[{empty}]" : "stop", "A stop sequence cannot be empty.");
        return stops;
    }

    private static void RefuseLogitBias(JsonElement body)
    {
        if (Optional(body, "logit_bias") is { ValueKind: JsonValueKind.Object } bias && bias.EnumerateObject().Any())
            throw new InvalidParamException("logit_bias", "This server does not apply logit_bias; send none.");
    }

    private static bool Stream(JsonElement body) => Optional(body, "stream") is { } s && Bool(s, "stream");

    private static bool IncludeUsage(JsonElement body)
    {
        if (Optional(body, "stream_options") is not { } options) return false;
        if (options.ValueKind != JsonValueKind.Object) throw new InvalidParamException("stream_options", "'stream_options' must be an object.");
        return Optional(options, "include_usage") is { } u && Bool(u, "stream_options.include_usage");
    }

    /// <summary>The member, or null when absent or JSON null.</summary>
    public static JsonElement? Optional(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>A boolean member.</summary>
    public static bool Bool(JsonElement value, string at) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new InvalidParamException(at, $"'{at}' must be true or false."),
    };

    private static int Int(JsonElement value, string at, int min, int max)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var i)) throw new InvalidParamException(at, $"'{at}' must be an integer.");
        if (i < min || i > max) throw new InvalidParamException(at, $"'{at}' must be between {min} and {max}.");
        return i;
    }

    private static double Number(JsonElement value, string at, double min, double max, bool inclusiveLow)
    {
        if (value.ValueKind != JsonValueKind.Number) throw new InvalidParamException(at, $"'{at}' must be a number.");
        var d = value.GetDouble();
        if (d > max || d < min || (!inclusiveLow && d == min)) throw new InvalidParamException(at, $"'{at}' must be {(inclusiveLow ? "between" : "greater than")} {min}{(inclusiveLow ? " and" : " and at most")} {max}.");
        return d;
    }
}
