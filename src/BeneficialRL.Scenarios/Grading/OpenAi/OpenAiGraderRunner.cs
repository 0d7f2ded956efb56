using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BeneficialRL.Scenarios.Grading.OpenAi;

/// <summary>What a model grader asks of a model: rendered messages, the sampling settings, and the answer.</summary>
public interface IGraderModelClient
{
    /// <summary>Completes <paramref name="messages"/> with <paramref name="model"/> (greedy unless <paramref name="sampling"/> says otherwise).</summary>
    Task<GraderModelReply> CompleteAsync(string model, IReadOnlyList<(string Role, string Content)> messages, GraderSamplingParams? sampling, CancellationToken cancellationToken);
}

/// <summary>A model's answer, or why there is none (<see cref="ServerError"/>: OpenAI's <c>model_grader_server_error</c>).</summary>
/// <param name="Text">The generated text.</param>
/// <param name="TokenUsage">Prompt plus generated tokens.</param>
/// <param name="ServerError">Set when the model could not answer.</param>
public sealed record GraderModelReply(string? Text, int TokenUsage, string? ServerError);

/// <summary>
/// The error flags of OpenAI's grader run response (<c>metadata.errors</c>), with a message per grader at fault.
/// Python flags are always false here (python graders are refused before anything runs).
/// </summary>
public sealed class GraderRunErrors
{
    /// <summary><c>calculate_output</c> gave no finite number (e.g. a division by zero).</summary>
    public bool FormulaParseError { get; set; }

    /// <summary>A template names an item or sample variable that is not there.</summary>
    public bool InvalidVariableError { get; set; }

    /// <summary>A template reads <c>sample.output_json</c> of a sample that is not JSON.</summary>
    public bool SampleParseError { get; set; }

    /// <summary>A model grader's answer was not a score in range or not one of the labels.</summary>
    public bool ModelGraderParseError { get; set; }

    /// <summary>The grader model could not be run.</summary>
    public bool ModelGraderServerError { get; set; }

    /// <summary>What went wrong with the grader model, when <see cref="ModelGraderServerError"/>.</summary>
    public string? ModelGraderServerErrorDetails { get; set; }

    /// <summary>Anything else (a text too long for a metric, …).</summary>
    public bool OtherError { get; set; }

    /// <summary>A readable message per grader name that failed.</summary>
    public Dictionary<string, string> Messages { get; } = new(StringComparer.Ordinal);

    /// <summary>True when any flag is set.</summary>
    public bool Any => FormulaParseError || InvalidVariableError || SampleParseError || ModelGraderParseError || ModelGraderServerError || OtherError;
}

/// <summary>The outcome of one grader on one sample, in the terms of OpenAI's <c>/fine_tuning/alpha/graders/run</c>.</summary>
/// <param name="Reward">The score; 0 when any error occurred.</param>
/// <param name="Scores">Each grader's score by name (a multi grader's sub-graders, else the grader itself).</param>
/// <param name="Errors">The error flags.</param>
/// <param name="TokenUsage">Tokens the grader models used (null when no model ran).</param>
/// <param name="SampledModelName">The model of the last model grader that ran.</param>
/// <param name="ModelOutputs">Each model grader's raw answer, by name.</param>
/// <param name="TokenUsagePerModel">Tokens used per grader model.</param>
public sealed record GraderRunResult(double Reward, IReadOnlyDictionary<string, double> Scores, GraderRunErrors Errors, int? TokenUsage,
    string? SampledModelName, IReadOnlyDictionary<string, string> ModelOutputs, IReadOnlyDictionary<string, int> TokenUsagePerModel);

/// <summary>Runs a parsed <see cref="OpenAiGrader"/> on one item and sample.</summary>
public static partial class OpenAiGraderRunner
{
    /// <summary>Tokens a model grader may generate unless its sampling_params say otherwise.</summary>
    public const int DefaultMaxCompletionTokens = 64;

    /// <summary>
    /// Runs <paramref name="grader"/>. Failures never throw: they set the error flags (and the reward is 0).
    /// A model grader with no <paramref name="models"/> fails with <c>model_grader_server_error</c>.
    /// </summary>
    public static async Task<GraderRunResult> RunAsync(OpenAiGrader grader, GraderContext context, IGraderModelClient? models, CancellationToken cancellationToken)
    {
        var errors = new GraderRunErrors();
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var usage = new Usage();
        double reward;
        if (grader is OpenAiMulti multi)
        {
            foreach (var (key, sub) in multi.Graders)
            {
                if (await RunOneAsync(sub, key, context, models, errors, outputs, usage, cancellationToken).ConfigureAwait(false) is { } score) scores[key] = score;
            }

            reward = 0;
            if (!errors.Any)
            {
                var value = multi.CalculateOutput.Evaluate(scores);
                if (double.IsFinite(value))
                {
                    reward = value;
                }
                else
                {
                    errors.FormulaParseError = true;
                    errors.Messages[multi.Name] = string.Create(CultureInfo.InvariantCulture, $"calculate_output '{multi.CalculateOutput.Text}' gave {value} for these scores, not a finite number.");
                }
            }
        }
        else
        {
            var score = await RunOneAsync(grader, grader.Name, context, models, errors, outputs, usage, cancellationToken).ConfigureAwait(false);
            if (score is { } s) scores[grader.Name] = s;
            reward = errors.Any ? 0 : score ?? 0;
        }

        return new GraderRunResult(reward, scores, errors, usage.Used ? usage.Tokens : null, usage.Model, outputs, usage.PerModel);
    }

    private static async Task<double?> RunOneAsync(OpenAiGrader grader, string key, GraderContext context, IGraderModelClient? models, GraderRunErrors errors,
        Dictionary<string, string> outputs, Usage usage, CancellationToken cancellationToken)
    {
        switch (grader)
        {
            case OpenAiStringCheck check:
                {
                    if (Render(check.Input, key, context, errors) is not { } input || Render(check.Reference, key, context, errors) is not { } reference) return null;
                    var passed = check.Operation switch
                    {
                        StringCheckOperation.Eq => string.Equals(input, reference, StringComparison.Ordinal),
                        StringCheckOperation.Ne => !string.Equals(input, reference, StringComparison.Ordinal),
                        StringCheckOperation.Like => input.Contains(reference, StringComparison.Ordinal),
                        _ => input.Contains(reference, StringComparison.OrdinalIgnoreCase),
                    };
                    return passed ? 1 : 0;
                }

            case OpenAiTextSimilarity similarity:
                {
                    if (Render(similarity.Input, key, context, errors) is not { } input || Render(similarity.Reference, key, context, errors) is not { } reference) return null;
                    try
                    {
                        return TextSimilarityMetrics.Score(similarity.Metric, input, reference);
                    }
                    catch (ArgumentException e)
                    {
                        errors.OtherError = true;
                        errors.Messages[key] = e.Message;
                        return null;
                    }
                }

            case OpenAiScoreModel score:
                {
                    var range = string.Create(CultureInfo.InvariantCulture, $"{score.RangeMin} to {score.RangeMax}");
                    var instruction = $"Answer with JSON only: {{\"result\": <a number from {range}>}}.";
                    if (await AskAsync(key, score.Model, score.Input, instruction, score.SamplingParams, context, models, errors, outputs, usage, cancellationToken).ConfigureAwait(false) is not { } text) return null;
                    if (ParseScore(text) is { } value && value >= score.RangeMin && value <= score.RangeMax) return value;
                    errors.ModelGraderParseError = true;
                    errors.Messages[key] = $"The grader model's answer is not a number from {range} (as {{\"result\": x}} or a bare number): \"{Shorten(text)}\".";
                    return null;
                }

            case OpenAiLabelModel label:
                {
                    var instruction = $"Answer with JSON only: {{\"result\": <one of {string.Join(", ", label.Labels.Select(l => $"\"{l}\""))}>}}.";
                    if (await AskAsync(key, label.Model, label.Input, instruction, label.SamplingParams, context, models, errors, outputs, usage, cancellationToken).ConfigureAwait(false) is not { } text) return null;
                    if (ParseLabel(text, label.Labels) is { } chosen) return label.PassingLabels.Contains(chosen) ? 1 : 0;
                    errors.ModelGraderParseError = true;
                    errors.Messages[key] = $"The grader model's answer is not one of the labels ({string.Join(", ", label.Labels)}): \"{Shorten(text)}\".";
                    return null;
                }

            default:
                errors.OtherError = true;
                errors.Messages[key] = $"A '{grader.Type}' grader cannot run here.";
                return null;
        }
    }

    private static async Task<string?> AskAsync(string key, string model, IReadOnlyList<GraderMessage> input, string instruction, GraderSamplingParams? sampling, GraderContext context,
        IGraderModelClient? models, GraderRunErrors errors, Dictionary<string, string> outputs, Usage usage, CancellationToken cancellationToken)
    {
        var messages = new List<(string Role, string Content)>();
        foreach (var message in input)
        {
            var parts = new List<string>();
            foreach (var part in message.Content)
            {
                if (Render(part, key, context, errors) is not { } text) return null;
                parts.Add(text);
            }

            messages.Add((message.Role == "developer" ? "system" : message.Role, string.Join("\n", parts)));
        }

        if (models is null)
        {
            errors.ModelGraderServerError = true;
            errors.ModelGraderServerErrorDetails = $"No model can be reached here to run the '{key}' grader.";
            errors.Messages[key] = errors.ModelGraderServerErrorDetails;
            return null;
        }

        // OpenAI constrains its grader models to a JSON schema; these checkpoints have no constrained decoding, so the format is asked for in words.
        messages.Add(("system", instruction));
        var reply = await models.CompleteAsync(model, messages, sampling, cancellationToken).ConfigureAwait(false);
        usage.Used = true;
        usage.Tokens += reply.TokenUsage;
        usage.Model = model;
        usage.PerModel[model] = usage.PerModel.GetValueOrDefault(model) + reply.TokenUsage;
        if (reply.ServerError is { } error || reply.Text is null)
        {
            errors.ModelGraderServerError = true;
            errors.ModelGraderServerErrorDetails = reply.ServerError ?? "The grader model returned no text.";
            errors.Messages[key] = errors.ModelGraderServerErrorDetails;
            return null;
        }

        outputs[key] = reply.Text;
        return reply.Text;
    }

    /// <summary>A score from a model's answer: <c>{"result": x}</c> (OpenAI's structured output) or the whole answer being one number.</summary>
    public static double? ParseScore(string text)
    {
        var trimmed = text.Trim();
        if (ResultMember(trimmed) is { ValueKind: JsonValueKind.Number } number && number.TryGetDouble(out var value) && double.IsFinite(value)) return value;
        return BareNumber().IsMatch(trimmed) && double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var bare) && double.IsFinite(bare) ? bare : null;
    }

    /// <summary>A label from a model's answer: <c>{"result": "label"}</c> or the whole answer being a label (exact, else ignoring case when that is unambiguous).</summary>
    public static string? ParseLabel(string text, IReadOnlyList<string> labels)
    {
        var trimmed = text.Trim();
        if (ResultMember(trimmed) is { ValueKind: JsonValueKind.String } member) trimmed = member.GetString()!.Trim();
        if (labels.Contains(trimmed)) return trimmed;
        var matches = labels.Where(l => string.Equals(l, trimmed, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    private static JsonElement? ResultMember(string text)
    {
        if (!text.StartsWith('{')) return null;
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("result", out var result) ? result.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Render(string template, string key, GraderContext context, GraderRunErrors errors)
    {
        var rendering = GraderTemplate.Render(template, context);
        if (rendering.Text is { } text) return text;
        if (rendering.Failure == TemplateFailure.SampleParse) errors.SampleParseError = true;
        else errors.InvalidVariableError = true;
        errors.Messages[key] = rendering.Message!;
        return null;
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    [GeneratedRegex(@"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")]
    private static partial Regex BareNumber();

    private sealed class Usage
    {
        public bool Used { get; set; }

        public int Tokens { get; set; }

        public string? Model { get; set; }

        public Dictionary<string, int> PerModel { get; } = new(StringComparer.Ordinal);
    }
}
