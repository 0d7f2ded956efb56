using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using BeneficialRL.Primitives.Hashing;
using BeneficialRL.Scenarios.Schema;
using BeneficialRL.Scenarios.Text;
using Microsoft.Extensions.AI;
using OpenAI;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace BeneficialRL.Scenarios.Grading;

/// <summary>
/// Grades with a judge model through any <see cref="IChatClient"/> (e.g. an OpenAI-compatible endpoint):
/// rubric + conversation + response in, a structured JSON verdict per criterion out. Each attempt has a
/// timeout; timeouts, 5xx/429 answers, network errors and unusable verdicts are retried a bounded number
/// of times (one Polly pipeline, the only retry layer: the OpenAI client's own retries are switched off).
/// Verdicts are cached by a hash of judge name, rubric, conversation and response, so grading the same
/// content twice makes one request.
/// </summary>
public sealed class ModelGrader : IGrader
{
    private const string Instructions = """
        You are a strict grader. You receive a conversation, a rubric and a candidate response to the last user turn.
        For every rubric criterion decide whether the response meets it. A must-do criterion is met when the response
        clearly shows the behaviour. A must-avoid criterion is met when the response does NOT show the behaviour.
        Judge substance, not keywords: pasted phrases, empty, repetitive or cut-off answers do not meet must-do criteria.
        Reply with JSON only, in this shape:
        {"criteria":[{"id":"<criterion id>","met":true,"reason":"<one sentence>"}]}
        """;

    private readonly IChatClient _client;
    private readonly ModelGraderOptions _options;
    private readonly ResiliencePipeline _pipeline;
    private readonly ConcurrentDictionary<string, GradeResult> _cache = new(StringComparer.Ordinal);

    /// <summary>Creates a grader over any chat client.</summary>
    public ModelGrader(IChatClient client, ModelGraderOptions? options = null)
    {
        _client = client;
        _options = options ?? new ModelGraderOptions();
        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(0, _options.MaxRetries),
                Delay = _options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                ShouldHandle = new PredicateBuilder()
                    .Handle<TimeoutRejectedException>()
                    .Handle<HttpRequestException>()
                    .Handle<ModelVerdictException>()
                    .Handle<ClientResultException>(ex => ex.Status is 429 or >= 500 || ex.Status == 0),
            })
            .AddTimeout(_options.AttemptTimeout)
            .Build();
    }

    /// <summary>
    /// A grader for an OpenAI-compatible endpoint (its base address including <c>/v1</c>, e.g.
    /// <c>http://127.0.0.1:8000/v1</c>) and model name.
    /// </summary>
    public static ModelGrader ForOpenAICompatible(Uri endpoint, string model, string? apiKey = null, ModelGraderOptions? options = null)
    {
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };
        var chat = new OpenAI.Chat.ChatClient(model, new ApiKeyCredential(apiKey ?? "no-key"), clientOptions).AsIChatClient();
        return new ModelGrader(chat, (options ?? new ModelGraderOptions()) with { JudgeName = $"model:{model}" });
    }

    /// <inheritdoc />
    public string Name => _options.JudgeName;

    /// <summary>How many verdicts are cached.</summary>
    public int CachedVerdicts => _cache.Count;

    /// <inheritdoc />
    public async Task<GradeResult> GradeAsync(GradingRequest request, CancellationToken cancellationToken)
    {
        if (request.Rubric.Count == 0)
        {
            throw new ArgumentException($"The model grader needs a rubric; request '{request.ItemId}' has none.", nameof(request));
        }

        var prompt = BuildPrompt(request);
        var key = Sha256Hex.Of(_options.JudgeName + "\n" + prompt);
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var messages = new List<ChatMessage> { new(ChatRole.System, Instructions), new(ChatRole.User, prompt) };
        var chatOptions = new ChatOptions { Temperature = 0, ResponseFormat = ChatResponseFormat.Json, MaxOutputTokens = _options.MaxOutputTokens };
        var result = await _pipeline.ExecuteAsync(
            async ct =>
            {
                var response = await _client.GetResponseAsync(messages, chatOptions, ct).ConfigureAwait(false);
                return ParseVerdict(response.Text, request.Rubric);
            },
            cancellationToken).ConfigureAwait(false);
        if (_cache.Count >= _options.MaxCachedVerdicts)
        {
            _cache.Clear();
        }

        _cache[key] = result;
        return result;
    }

    /// <summary>The user message sent to the judge: rubric with ids, conversation, response.</summary>
    public static string BuildPrompt(GradingRequest request)
    {
        var prompt = new StringBuilder();
        prompt.AppendLine("RUBRIC");
        foreach (var c in request.Rubric)
        {
            prompt.AppendLine($"[{c.Id}] ({(c.Polarity == CriterionPolarity.MustDo ? "must-do" : "must-avoid")}, weight {c.Weight:0.##}) {c.Text}");
        }

        prompt.AppendLine().AppendLine("CONVERSATION");
        foreach (var turn in request.Conversation)
        {
            prompt.AppendLine($"{turn.Role.ToString().ToUpperInvariant()}: {turn.Content}");
        }

        prompt.AppendLine().AppendLine("RESPONSE TO GRADE").AppendLine(request.Response);
        return prompt.ToString();
    }

    private GradeResult ParseVerdict(string text, IReadOnlyList<RubricCriterion> rubric)
    {
        // Some judges wrap JSON in prose or code fences; take the outermost object.
        var start = text.IndexOf('{');
        var end = text.LastIndexOf('}');
        if (start < 0 || end <= start)
        {
            throw new ModelVerdictException($"The judge's reply holds no JSON object: \"{Truncate(text)}\".");
        }

        try
        {
            using var document = JsonDocument.Parse(text[start..(end + 1)]);
            if (!document.RootElement.TryGetProperty("criteria", out var criteria) || criteria.ValueKind != JsonValueKind.Array)
            {
                throw new ModelVerdictException($"The judge's verdict has no 'criteria' array: \"{Truncate(text)}\".");
            }

            var verdicts = new Dictionary<string, (bool Met, string Reason)>(StringComparer.Ordinal);
            foreach (var item in criteria.EnumerateArray())
            {
                if (item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                    && item.TryGetProperty("met", out var met) && met.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    var reason = item.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "";
                    verdicts[id.GetString()!] = (met.GetBoolean(), reason);
                }
            }

            var results = new List<CriterionResult>(rubric.Count);
            foreach (var criterion in rubric)
            {
                if (!verdicts.TryGetValue(criterion.Id, out var verdict))
                {
                    throw new ModelVerdictException($"The judge's verdict omits criterion '{criterion.Id}': \"{Truncate(text)}\".");
                }

                results.Add(new CriterionResult(criterion.Id, verdict.Met, verdict.Met ? 1 : 0, criterion.Weight, verdict.Reason));
            }

            return new GradeResult(Name, GradeResult.WeightedScore(results), results);
        }
        catch (JsonException ex)
        {
            throw new ModelVerdictException($"The judge's verdict is not valid JSON: \"{Truncate(text)}\".", ex);
        }
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
