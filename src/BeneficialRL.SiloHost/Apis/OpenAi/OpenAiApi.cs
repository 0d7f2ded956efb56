using System.Text.Json;
using System.Text.Json.Nodes;
using BeneficialRL.Contracts.Catalog;
using BeneficialRL.Contracts.Checkpoints;
using BeneficialRL.Contracts.Inference;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.SiloHost.Auth;
using BeneficialRL.SiloHost.Http;
using BeneficialRL.SiloHost.Limits;
using Orleans.Runtime.MembershipService.SiloMetadata;
using static BeneficialRL.SiloHost.Apis.OpenAi.OpenAiRequests;

namespace BeneficialRL.SiloHost.Apis.OpenAi;

/// <summary>
/// OpenAI-compatible inference on the tenant's checkpoints (<c>/v1/models</c>, <c>/v1/completions</c>,
/// <c>/v1/chat/completions</c>) and vLLM's tokenizer routes (<c>/tokenize</c>, <c>/detokenize</c>, <c>/tokenizer_info</c>),
/// at the root (the model named in the request) and under <c>/checkpoints/{model}</c> (one base URL per checkpoint, as
/// harnesses that derive the tokenizer routes from the base URL expect). The work runs on trainer silos through
/// <see cref="IInferenceGrain"/>.
/// </summary>
public static class OpenAiApi
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapOpenAiApi(this IEndpointRouteBuilder routes)
    {
        Map(routes.MapGroup(string.Empty).WithTags("OpenAI-compatible"));
        Map(routes.MapGroup("/checkpoints/{model}").WithTags("OpenAI-compatible (per checkpoint)"));
        return routes;
    }

    private static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/v1/models", ListModelsAsync).WithSummary("Checkpoints this key's tenant can run, in OpenAI's list shape").RequireAuthorization("read");
        group.MapPost("/v1/completions", CompleteAsync).WithSummary("Text completion: prompts as text or token ids, echo with prompt logprobs, streaming").RequireAuthorization("read");
        group.MapPost("/v1/chat/completions", ChatAsync).WithSummary("Chat completion with the checkpoint's chat template, logprobs, streaming").RequireAuthorization("read");
        group.MapPost("/tokenize", TokenizeAsync).WithSummary("Token ids of a prompt or of messages (vLLM's shape)").RequireAuthorization("read");
        group.MapPost("/detokenize", DetokenizeAsync).WithSummary("Text of token ids (vLLM's shape)").RequireAuthorization("read");
        group.MapGet("/tokenizer_info", TokenizerInfoAsync).WithSummary("Special tokens, chat template and context length (vLLM's shape)").RequireAuthorization("read");
    }

    private static async Task<IResult> ListModelsAsync(HttpContext http, [AsParameters] ApiServices services)
    {
        var tenant = http.User.TenantOf();
        var data = new JsonArray();
        var route = http.GetRouteValue("model") as string;
        string? token = null;
        do
        {
            var page = await Listing.PageAsync(services.Grains, tenant, ResourceKinds.Checkpoints, token, PageQuery.MaxLimit,
                id => services.Grains.GetGrain<ICheckpointGrain>(ResourceKey.For(tenant, id)).GetAsync());
            foreach (var checkpoint in page.Items.Where(c => c.Details.ModelMetadataPath is not null && (route is null || c.Id == route)))
            {
                data.Add(new JsonObject { ["id"] = checkpoint.Id, ["object"] = "model", ["created"] = checkpoint.CreatedAt.ToUnixTimeSeconds(), ["owned_by"] = tenant });
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
        return Json(new JsonObject { ["object"] = "list", ["data"] = data });
    }

    private static Task<IResult> CompleteAsync(HttpContext http, [AsParameters] ApiServices services, InferenceAdmission admission, ISiloMetadataCache metadata, CancellationToken ct) =>
        RunAsync(http, services, admission, metadata, chat: false, ct);

    private static Task<IResult> ChatAsync(HttpContext http, [AsParameters] ApiServices services, InferenceAdmission admission, ISiloMetadataCache metadata, CancellationToken ct) =>
        RunAsync(http, services, admission, metadata, chat: true, ct);

    private static async Task<IResult> RunAsync(HttpContext http, ApiServices services, InferenceAdmission admission, ISiloMetadataCache metadata, bool chat, CancellationToken ct)
    {
        var (body, bad) = await ReadAsync(http, ct);
        if (bad is not null) return bad;
        Parsed parsed;
        try
        {
            parsed = chat ? Chat(body, http.GetRouteValue("model") as string) : Completion(body, http.GetRouteValue("model") as string);
        }
        catch (InvalidParamException e)
        {
            return OpenAiErrors.Invalid(e.Param, e.Message);
        }

        var tenant = http.User.TenantOf();
        if (await FindAsync(services, tenant, parsed.Model) is { } missing) return missing;
        using var slot = admission.TryEnter(tenant);
        if (slot is null)
        {
            http.Response.Headers.RetryAfter = "1";
            return OpenAiErrors.Result(StatusCodes.Status429TooManyRequests,
                $"Tenant '{tenant}' already has {admission.Limit} inference requests running, the most allowed; retry after the Retry-After delay.", "requests", null, "rate_limit_exceeded");
        }

        var grain = services.Grains.GetGrain<IInferenceGrain>(ResourceKey.For(tenant, parsed.Model));
        var id = (chat ? "chatcmpl-" : "cmpl-") + Guid.NewGuid().ToString("N");
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        InferenceOutcome outcome;
        try
        {
            if (parsed.Stream) return await StreamAsync(http, grain, parsed, chat, id, created, ct);
            outcome = await grain.CompleteAsync(parsed.Job, ct);
        }
        catch (OrleansException) when (!http.Response.HasStarted)
        {
            if (await ClusterApi.HasActiveTrainerAsync(services.Grains, metadata)) throw;
            // Placement found no trainer silo: a retryable outage, said in OpenAI's terms.
            http.Response.Headers.RetryAfter = "30";
            return OpenAiErrors.Result(StatusCodes.Status503ServiceUnavailable, "No silo with the 'trainer' role is active, so the checkpoint cannot be served. Start a trainer silo and retry.", "server_error", null, "no_trainer");
        }

        if (outcome.Error is { } error) return OpenAiErrors.Invalid(error.Param, error.Message, error.Code);
        var n = parsed.Job.N;
        var choices = new JsonArray();
        for (var p = 0; p < outcome.Prompts.Length; p++)
        {
            for (var c = 0; c < outcome.Prompts[p].Choices.Length; c++)
            {
                var choice = outcome.Prompts[p].Choices[c];
                choices.Add(chat
                    ? new JsonObject
                    {
                        ["index"] = (p * n) + c,
                        ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = choice.Text, ["refusal"] = null },
                        ["logprobs"] = choice.LogProbs is null ? null : new JsonObject { ["content"] = ChatLogProbs(choice.LogProbs), ["refusal"] = null },
                        ["finish_reason"] = choice.FinishReason,
                    }
                    : new JsonObject
                    {
                        ["index"] = (p * n) + c,
                        ["text"] = choice.Text,
                        ["logprobs"] = choice.LogProbs is null ? null : CompletionLogProbs(choice.LogProbs),
                        ["finish_reason"] = choice.FinishReason,
                    });
            }
        }

        var promptTokens = outcome.Prompts.Sum(p => p.PromptTokens);
        var completionTokens = outcome.Prompts.Sum(p => p.Choices.Sum(c => c.CompletionTokens));
        return Json(new JsonObject
        {
            ["id"] = id,
            ["object"] = chat ? "chat.completion" : "text_completion",
            ["created"] = created,
            ["model"] = parsed.Model,
            ["system_fingerprint"] = null,
            ["choices"] = choices,
            ["usage"] = Usage(promptTokens, completionTokens),
        });
    }

    private static async Task<IResult> StreamAsync(HttpContext http, IInferenceGrain grain, Parsed parsed, bool chat, string id, long created, CancellationToken ct)
    {
        await using var deltas = grain.StreamAsync(parsed.Job, ct).GetAsyncEnumerator(ct);
        if (!await deltas.MoveNextAsync()) return OpenAiErrors.Result(StatusCodes.Status503ServiceUnavailable, "The stream ended before it started; retry.", "server_error", null, null);
        if (deltas.Current.Error is { } error) return OpenAiErrors.Invalid(error.Param, error.Message, error.Code);

        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var n = parsed.Job.N;
        var started = new HashSet<int>();
        do
        {
            var delta = deltas.Current;
            JsonObject chunk;
            if (delta.PromptTokens is { } promptTokens)
            {
                if (!parsed.IncludeUsage) continue;
                chunk = Chunk(id, chat, created, parsed.Model, []);
                chunk["usage"] = Usage(promptTokens, delta.CompletionTokens ?? 0);
            }
            else
            {
                var index = (delta.Prompt * n) + delta.Choice;
                JsonObject choice;
                if (chat)
                {
                    var content = new JsonObject();
                    if (started.Add(index)) content["role"] = "assistant";
                    if (delta.FinishReason is null) content["content"] = delta.Text;
                    choice = new JsonObject
                    {
                        ["index"] = index,
                        ["delta"] = content,
                        ["logprobs"] = delta.LogProbs is null ? null : new JsonObject { ["content"] = ChatLogProbs(delta.LogProbs), ["refusal"] = null },
                        ["finish_reason"] = delta.FinishReason,
                    };
                }
                else
                {
                    choice = new JsonObject { ["index"] = index, ["text"] = delta.Text, ["logprobs"] = delta.LogProbs is null ? null : CompletionLogProbs(delta.LogProbs), ["finish_reason"] = delta.FinishReason };
                }

                chunk = Chunk(id, chat, created, parsed.Model, [choice]);
            }

            await response.WriteAsync($"data: {chunk.ToJsonString()}\n\n", ct);
            await response.Body.FlushAsync(ct);
        }
        while (await deltas.MoveNextAsync());
        await response.WriteAsync("data: [DONE]\n\n", ct);
        return Results.Empty;
    }

    private static async Task<IResult> TokenizeAsync(HttpContext http, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var (body, bad) = await ReadAsync(http, ct);
        if (bad is not null) return bad;
        TokenizeJob job;
        string model;
        try
        {
            model = ModelOf(body, http);
            var addSpecial = Optional(body, "add_special_tokens") is not { } add || Bool(add, "add_special_tokens");
            if (Optional(body, "messages") is { } messages)
            {
                if (messages.ValueKind != JsonValueKind.Array) throw new InvalidParamException("messages", "'messages' must be an array of messages.");
                job = new TokenizeJob { Messages = Messages(messages) };
            }
            else if (Optional(body, "prompt") is { ValueKind: JsonValueKind.String } prompt)
            {
                job = new TokenizeJob { Text = prompt.GetString(), AddSpecialTokens = addSpecial };
            }
            else
            {
                throw new InvalidParamException("prompt", "Send 'prompt' (a string) or 'messages'.");
            }
        }
        catch (InvalidParamException e)
        {
            return OpenAiErrors.Invalid(e.Param, e.Message);
        }

        if (await FindAsync(services, http.User.TenantOf(), model) is { } missing) return missing;
        var outcome = await services.Grains.GetGrain<IInferenceGrain>(ResourceKey.For(http.User.TenantOf(), model)).TokenizeAsync(job);
        if (outcome.Error is { } error) return OpenAiErrors.Invalid(error.Param, error.Message, error.Code);
        return Json(new JsonObject
        {
            ["count"] = outcome.Tokens.Length,
            ["max_model_len"] = outcome.MaxModelLength,
            ["tokens"] = new JsonArray([.. outcome.Tokens.Select(t => (JsonNode)t)]),
            ["token_strs"] = null,
        });
    }

    private static async Task<IResult> DetokenizeAsync(HttpContext http, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var (body, bad) = await ReadAsync(http, ct);
        if (bad is not null) return bad;
        string model;
        int[] tokens;
        try
        {
            model = ModelOf(body, http);
            if (Optional(body, "tokens") is not { } array) throw new InvalidParamException("tokens", "'tokens' is required: an array of token ids.");
            tokens = array.ValueKind == JsonValueKind.Array && array.GetArrayLength() == 0 ? [] : TokenIds(array, "tokens");
        }
        catch (InvalidParamException e)
        {
            return OpenAiErrors.Invalid(e.Param, e.Message);
        }

        if (await FindAsync(services, http.User.TenantOf(), model) is { } missing) return missing;
        var outcome = await services.Grains.GetGrain<IInferenceGrain>(ResourceKey.For(http.User.TenantOf(), model)).DetokenizeAsync(tokens);
        return outcome.Error is { } error ? OpenAiErrors.Invalid(error.Param, error.Message, error.Code) : Json(new JsonObject { ["prompt"] = outcome.Text });
    }

    private static async Task<IResult> TokenizerInfoAsync(HttpContext http, [AsParameters] ApiServices services)
    {
        var model = http.GetRouteValue("model") as string ?? http.Request.Query["model"].ToString();
        if (string.IsNullOrEmpty(model)) return OpenAiErrors.Invalid("model", "Name the checkpoint: ?model=<id>, or use /checkpoints/{id}/tokenizer_info.");
        if (await FindAsync(services, http.User.TenantOf(), model) is { } missing) return missing;
        var info = await services.Grains.GetGrain<IInferenceGrain>(ResourceKey.For(http.User.TenantOf(), model)).GetTokenizerAsync();
        return Json(new JsonObject
        {
            ["tokenizer_class"] = info.Kind,
            ["bos_token"] = info.BosToken,
            ["eos_token"] = info.EosToken,
            ["pad_token"] = info.PadToken,
            ["bos_token_id"] = info.BosTokenId,
            ["eos_token_id"] = info.EosTokenId,
            ["chat_template"] = info.ChatTemplate,
            ["model_max_length"] = info.MaxModelLength,
            ["vocab_size"] = info.VocabularySize,
            ["add_bos_token"] = true,
        });
    }

    private static string ModelOf(JsonElement body, HttpContext http)
    {
        if (body.ValueKind != JsonValueKind.Object) throw new InvalidParamException(null, "The body must be a JSON object.");
        if (http.GetRouteValue("model") is string route) return route;
        return Optional(body, "model") is { ValueKind: JsonValueKind.String } m && !string.IsNullOrEmpty(m.GetString())
            ? m.GetString()!
            : throw new InvalidParamException("model", "'model' is required here (or use /checkpoints/{id}/...).");
    }

    private static async Task<IResult?> FindAsync(ApiServices services, string tenant, string model)
    {
        var (verdict, reason) = await EvaluableCheckpoints.CheckAsync(services.Grains, tenant, model, "served");
        return verdict switch
        {
            EvaluableCheckpoints.Verdict.Absent => OpenAiErrors.ModelNotFound(model),
            EvaluableCheckpoints.Verdict.WeightsOnly => OpenAiErrors.Invalid("model", reason!, "model_not_servable"),
            _ => null,
        };
    }

    private static async Task<(JsonElement Body, IResult? Problem)> ReadAsync(HttpContext http, CancellationToken ct)
    {
        if (!http.Request.HasJsonContentType()) return (default, OpenAiErrors.Result(StatusCodes.Status415UnsupportedMediaType, "The body must be application/json.", "invalid_request_error", null, null));
        if (http.Request.ContentLength > JsonBody.MaxBytes) return (default, TooLarge());
        JsonBody.LimitBodySize(http);
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: ct);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return (default, OpenAiErrors.Invalid(null, $"The body is not valid JSON: {e.Message}"));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (default, TooLarge());
        }
    }

    private static IResult TooLarge() =>
        OpenAiErrors.Result(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {JsonBody.MaxBytes} bytes.", "invalid_request_error", null, null);

    private static JsonObject CompletionLogProbs(TokenLogProbEntry[] entries)
    {
        var tokens = new JsonArray();
        var logprobs = new JsonArray();
        var top = new JsonArray();
        var offsets = new JsonArray();
        var offset = 0;
        foreach (var entry in entries)
        {
            tokens.Add(entry.Token);
            logprobs.Add(entry.LogProb);
            offsets.Add(offset);
            offset += entry.Token.Length;
            if (entry.LogProb is null)
            {
                top.Add(null);
                continue;
            }

            var map = new JsonObject();
            foreach (var candidate in entry.Top) map.TryAdd(candidate.Token, candidate.LogProb);
            top.Add(map);
        }

        return new JsonObject { ["tokens"] = tokens, ["token_logprobs"] = logprobs, ["top_logprobs"] = top, ["text_offset"] = offsets };
    }

    private static JsonArray ChatLogProbs(TokenLogProbEntry[] entries) =>
    [
        .. entries.Select(entry => (JsonNode)new JsonObject
        {
            ["token"] = entry.Token,
            ["logprob"] = entry.LogProb ?? 0,
            ["bytes"] = Bytes(entry.Token),
            ["top_logprobs"] = new JsonArray([.. entry.Top.Select(c => (JsonNode)new JsonObject { ["token"] = c.Token, ["logprob"] = c.LogProb, ["bytes"] = Bytes(c.Token) })]),
        }),
    ];

    private static JsonArray Bytes(string token) => [.. System.Text.Encoding.UTF8.GetBytes(token).Select(b => (JsonNode)(int)b)];

    private static JsonObject Usage(int prompt, int completion) => new()
    {
        ["prompt_tokens"] = prompt,
        ["completion_tokens"] = completion,
        ["total_tokens"] = prompt + completion,
    };

    private static JsonObject Chunk(string id, bool chat, long created, string model, JsonArray choices) => new()
    {
        ["id"] = id,
        ["object"] = chat ? "chat.completion.chunk" : "text_completion",
        ["created"] = created,
        ["model"] = model,
        ["system_fingerprint"] = null,
        ["choices"] = choices,
    };

    private static IResult Json(JsonObject body) => Results.Content(body.ToJsonString(), "application/json");
}
