using System.Text.Json;
using System.Text.RegularExpressions;

namespace BeneficialRL.Scenarios.Grading.OpenAi;

/// <summary>One thing wrong with a grader, at a JSON path such as <c>$.grader.graders.x.evaluation_metric</c>.</summary>
public sealed record GraderValidationError(string Path, string Message);

/// <summary>
/// Reads OpenAI grader JSON strictly and checks it, collecting every error with its JSON path: unknown or missing
/// members, wrong types, unknown <c>type</c>s and metrics, template references to namespaces or sample variables that do
/// not exist, label sets, ranges, and <c>calculate_output</c> formulas that do not parse or name unknown graders.
/// <c>python</c> graders, the <c>cosine</c> and <c>meteor</c> metrics and image or audio content are refused with the reason.
/// </summary>
public static partial class OpenAiGraderParser
{
    /// <summary>The grader types this service runs.</summary>
    public static readonly IReadOnlyList<string> Types = ["string_check", "text_similarity", "score_model", "label_model", "multi"];

    private static readonly Dictionary<string, SimilarityMetric> Metrics = new(StringComparer.Ordinal)
    {
        ["fuzzy_match"] = SimilarityMetric.FuzzyMatch,
        ["bleu"] = SimilarityMetric.Bleu,
        ["gleu"] = SimilarityMetric.Gleu,
        ["rouge_1"] = SimilarityMetric.Rouge1,
        ["rouge_2"] = SimilarityMetric.Rouge2,
        ["rouge_3"] = SimilarityMetric.Rouge3,
        ["rouge_4"] = SimilarityMetric.Rouge4,
        ["rouge_5"] = SimilarityMetric.Rouge5,
        ["rouge_l"] = SimilarityMetric.RougeL,
    };

    private static readonly Dictionary<string, string> RefusedMetrics = new(StringComparer.Ordinal)
    {
        ["cosine"] = "'cosine' compares text embeddings, and this service has no embedding model to compute them with; use fuzzy_match, bleu, gleu, rouge_1..rouge_5 or rouge_l.",
        ["meteor"] = "'meteor' needs WordNet synonyms and a stemmer (NLTK's data), which this service does not have, and a METEOR without them would not be the METEOR OpenAI computes; use fuzzy_match, bleu, gleu, rouge_1..rouge_5 or rouge_l.",
    };

    /// <summary>Most graders one multi grader may hold.</summary>
    public const int MaxMultiGraders = 16;

    private static readonly string[] Roles = ["system", "developer", "user", "assistant"];

    /// <summary>The grader in <paramref name="json"/> (at <paramref name="path"/>), or null with the errors.</summary>
    public static (OpenAiGrader? Grader, IReadOnlyList<GraderValidationError> Errors) Parse(JsonElement json, string path = "$")
    {
        var errors = new List<GraderValidationError>();
        var grader = ParseGrader(json, path, errors, nested: false);
        return errors.Count == 0 ? (grader, errors) : (null, errors);
    }

    /// <summary>Parses a JSON text; malformed JSON is one error at <paramref name="path"/>.</summary>
    public static (OpenAiGrader? Grader, IReadOnlyList<GraderValidationError> Errors) Parse(string json, string path = "$")
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Parse(document.RootElement, path);
        }
        catch (JsonException e)
        {
            return (null, [new GraderValidationError(path, $"The grader is not valid JSON: {e.Message}")]);
        }
    }

    private static OpenAiGrader? ParseGrader(JsonElement json, string path, List<GraderValidationError> errors, bool nested)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, "A grader is a JSON object with a 'type'."));
            return null;
        }

        var type = RequiredString(json, path, "type", errors);
        if (type is null) return null;
        switch (type)
        {
            case "python":
                errors.Add(new($"{path}.type", "'python' graders are refused: this service does not run user-supplied code. Express the check with string_check, text_similarity, score_model, label_model or a multi grader's calculate_output."));
                return null;
            case "string_check":
                return StringCheck(json, path, errors);
            case "text_similarity":
                return TextSimilarity(json, path, errors);
            case "score_model":
                return ScoreModel(json, path, errors);
            case "label_model":
                return LabelModel(json, path, errors);
            case "multi" when nested:
                errors.Add(new($"{path}.type", "A multi grader cannot contain another multi grader."));
                return null;
            case "multi":
                return Multi(json, path, errors);
            default:
                errors.Add(new($"{path}.type", $"Unknown grader type '{type}'; expected one of {string.Join(", ", Types)} (python graders are refused)."));
                return null;
        }
    }

    private static OpenAiStringCheck? StringCheck(JsonElement json, string path, List<GraderValidationError> errors)
    {
        var before = errors.Count;
        Members(json, path, errors, ["type", "name", "input", "reference", "operation"]);
        var name = RequiredString(json, path, "name", errors);
        var input = Template(json, path, "input", errors);
        var reference = Template(json, path, "reference", errors);
        var operationText = RequiredString(json, path, "operation", errors);
        StringCheckOperation? operation = operationText switch
        {
            null => null,
            "eq" => StringCheckOperation.Eq,
            "ne" => StringCheckOperation.Ne,
            "like" => StringCheckOperation.Like,
            "ilike" => StringCheckOperation.Ilike,
            _ => null,
        };
        if (operationText is not null && operation is null) errors.Add(new($"{path}.operation", $"Unknown operation '{operationText}'; expected eq, ne, like or ilike."));
        return errors.Count == before ? new OpenAiStringCheck(name!, input!, reference!, operation!.Value) : null;
    }

    private static OpenAiTextSimilarity? TextSimilarity(JsonElement json, string path, List<GraderValidationError> errors)
    {
        var before = errors.Count;
        Members(json, path, errors, ["type", "name", "input", "reference", "evaluation_metric", "pass_threshold"]);
        var name = RequiredString(json, path, "name", errors);
        var input = Template(json, path, "input", errors);
        var reference = Template(json, path, "reference", errors);
        var metricText = RequiredString(json, path, "evaluation_metric", errors);
        SimilarityMetric? metric = null;
        if (metricText is not null)
        {
            if (Metrics.TryGetValue(metricText, out var m)) metric = m;
            else if (RefusedMetrics.TryGetValue(metricText, out var why)) errors.Add(new($"{path}.evaluation_metric", why));
            else errors.Add(new($"{path}.evaluation_metric", $"Unknown evaluation_metric '{metricText}'; expected one of {string.Join(", ", Metrics.Keys)}."));
        }

        var threshold = OptionalNumber(json, path, "pass_threshold", errors);
        return errors.Count == before ? new OpenAiTextSimilarity(name!, input!, reference!, metric!.Value, threshold) : null;
    }

    private static OpenAiScoreModel? ScoreModel(JsonElement json, string path, List<GraderValidationError> errors)
    {
        var before = errors.Count;
        Members(json, path, errors, ["type", "name", "input", "model", "range", "sampling_params", "pass_threshold"]);
        var name = RequiredString(json, path, "name", errors);
        var model = RequiredString(json, path, "model", errors);
        var input = Messages(json, path, errors);
        double min = 0, max = 1;
        if (json.TryGetProperty("range", out var range) && range.ValueKind != JsonValueKind.Null)
        {
            if (range.ValueKind != JsonValueKind.Array || range.GetArrayLength() != 2 || range.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number))
            {
                errors.Add(new($"{path}.range", "'range' is two numbers, [lowest, highest]."));
            }
            else
            {
                (min, max) = (range[0].GetDouble(), range[1].GetDouble());
                if (!(min < max)) errors.Add(new($"{path}.range", "The range's lowest score must be below its highest."));
            }
        }

        var threshold = OptionalNumber(json, path, "pass_threshold", errors);
        if (threshold is { } t && (t < min || t > max)) errors.Add(new($"{path}.pass_threshold", $"'pass_threshold' must lie within the range [{min}, {max}]."));
        var sampling = Sampling(json, path, errors);
        return errors.Count == before ? new OpenAiScoreModel(name!, model!, input!, min, max, sampling, threshold) : null;
    }

    private static OpenAiLabelModel? LabelModel(JsonElement json, string path, List<GraderValidationError> errors)
    {
        var before = errors.Count;
        Members(json, path, errors, ["type", "name", "input", "model", "labels", "passing_labels", "sampling_params"]);
        var name = RequiredString(json, path, "name", errors);
        var model = RequiredString(json, path, "model", errors);
        var input = Messages(json, path, errors);
        var labels = StringList(json, path, "labels", errors);
        var passing = StringList(json, path, "passing_labels", errors);
        if (labels is not null)
        {
            if (labels.Count < 2) errors.Add(new($"{path}.labels", "Give at least two labels."));
            for (var i = 0; i < labels.Count; i++)
            {
                if (labels[i].Trim().Length == 0) errors.Add(new($"{path}.labels[{i}]", "A label cannot be empty."));
                else if (labels.IndexOf(labels[i]) != i) errors.Add(new($"{path}.labels[{i}]", $"The label '{labels[i]}' appears twice."));
            }
        }

        if (labels is not null && passing is not null)
        {
            if (passing.Count == 0) errors.Add(new($"{path}.passing_labels", "Give at least one passing label."));
            for (var i = 0; i < passing.Count; i++)
            {
                if (!labels.Contains(passing[i])) errors.Add(new($"{path}.passing_labels[{i}]", $"'{passing[i]}' is not one of the labels."));
            }
        }

        var sampling = Sampling(json, path, errors);
        return errors.Count == before ? new OpenAiLabelModel(name!, model!, input!, labels!, passing!, sampling) : null;
    }

    private static OpenAiMulti? Multi(JsonElement json, string path, List<GraderValidationError> errors)
    {
        var before = errors.Count;
        Members(json, path, errors, ["type", "name", "graders", "calculate_output"]);
        var name = RequiredString(json, path, "name", errors);
        var graders = new Dictionary<string, OpenAiGrader>(StringComparer.Ordinal);
        if (!json.TryGetProperty("graders", out var map) || map.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new($"{path}.graders", "Required member 'graders' is missing: a map from a name to each grader."));
        }
        else if (map.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new($"{path}.graders", "'graders' is a JSON object mapping a name to each grader."));
        }
        else
        {
            foreach (var member in map.EnumerateObject())
            {
                var at = $"{path}.graders.{member.Name}";
                if (!Identifier().IsMatch(member.Name))
                {
                    errors.Add(new(at, $"'{member.Name}' cannot be named in calculate_output; a grader's key is letters, digits and '_', not starting with a digit."));
                    continue;
                }

                if (CalculateOutputFormula.FunctionNames.Contains(member.Name))
                {
                    errors.Add(new(at, $"'{member.Name}' is the name of a function of calculate_output; name the grader otherwise."));
                    continue;
                }

                if (graders.ContainsKey(member.Name))
                {
                    errors.Add(new(at, $"The grader '{member.Name}' appears twice."));
                    continue;
                }

                if (ParseGrader(member.Value, at, errors, nested: true) is { } grader) graders[member.Name] = grader;
            }

            if (!map.EnumerateObject().Any()) errors.Add(new($"{path}.graders", "'graders' is empty; give at least one grader."));
            if (map.EnumerateObject().Count() > MaxMultiGraders) errors.Add(new($"{path}.graders", $"A multi grader holds at most {MaxMultiGraders} graders."));
        }

        CalculateOutputFormula? formula = null;
        if (RequiredString(json, path, "calculate_output", errors) is { } text && errors.Count == before)
        {
            var (parsed, error) = CalculateOutputFormula.Parse(text, graders.Keys.ToHashSet(StringComparer.Ordinal));
            if (error is not null) errors.Add(new($"{path}.calculate_output", error));
            formula = parsed;
        }

        return errors.Count == before ? new OpenAiMulti(name!, graders, formula!) : null;
    }

    private static List<GraderMessage>? Messages(JsonElement json, string path, List<GraderValidationError> errors)
    {
        if (!json.TryGetProperty("input", out var input) || input.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new($"{path}.input", "Required member 'input' is missing: the messages the grader model reads."));
            return null;
        }

        if (input.ValueKind != JsonValueKind.Array || input.GetArrayLength() == 0)
        {
            errors.Add(new($"{path}.input", "'input' is a non-empty array of messages ({\"role\", \"content\"})."));
            return null;
        }

        var before = errors.Count;
        var messages = new List<GraderMessage>();
        var i = 0;
        foreach (var message in input.EnumerateArray())
        {
            var at = $"{path}.input[{i++}]";
            if (message.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new(at, "A message is an object with 'role' and 'content'."));
                continue;
            }

            Members(message, at, errors, ["role", "content", "type"]);
            if (message.TryGetProperty("type", out var type) && !(type.ValueKind == JsonValueKind.String && type.GetString() == "message"))
                errors.Add(new($"{at}.type", "A message's 'type' is 'message' when given."));
            var role = RequiredString(message, at, "role", errors);
            if (role is not null && !Roles.Contains(role)) errors.Add(new($"{at}.role", $"Unknown role '{role}'; expected {string.Join(", ", Roles)}."));
            var parts = Content(message, at, errors);
            if (role is not null && parts is not null) messages.Add(new GraderMessage(role, parts));
        }

        return errors.Count == before ? messages : null;
    }

    private static List<string>? Content(JsonElement message, string path, List<GraderValidationError> errors)
    {
        var at = $"{path}.content";
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new(at, "Required member 'content' is missing."));
            return null;
        }

        if (content.ValueKind == JsonValueKind.String) return CheckTemplate(content.GetString()!, at, errors) ? [content.GetString()!] : null;
        if (content.ValueKind == JsonValueKind.Object) return Part(content, at, errors) is { } one ? [one] : null;
        if (content.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new(at, "'content' is a string, a content part or an array of them."));
            return null;
        }

        var parts = new List<string>();
        var i = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{at}[{i++}]";
            if (part.ValueKind == JsonValueKind.String)
            {
                if (CheckTemplate(part.GetString()!, partPath, errors)) parts.Add(part.GetString()!);
            }
            else if (Part(part, partPath, errors) is { } text)
            {
                parts.Add(text);
            }
        }

        return parts.Count == i ? parts : null;
    }

    private static string? Part(JsonElement part, string path, List<GraderValidationError> errors)
    {
        if (part.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, "A content part is a string or an object with 'type' and 'text'."));
            return null;
        }

        var type = RequiredString(part, path, "type", errors);
        switch (type)
        {
            case null:
                return null;
            case "input_text" or "output_text":
                Members(part, path, errors, ["type", "text"]);
                return Template(part, path, "text", errors);
            case "input_image" or "input_audio":
                errors.Add(new($"{path}.type", $"'{type}' content is refused: the checkpoints this service serves read text only."));
                return null;
            default:
                errors.Add(new($"{path}.type", $"Unknown content type '{type}'; expected input_text or output_text."));
                return null;
        }
    }

    private static GraderSamplingParams? Sampling(JsonElement json, string path, List<GraderValidationError> errors)
    {
        if (!json.TryGetProperty("sampling_params", out var sampling) || sampling.ValueKind == JsonValueKind.Null) return null;
        var at = $"{path}.sampling_params";
        if (sampling.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(at, "'sampling_params' is an object."));
            return null;
        }

        Members(sampling, at, errors, ["temperature", "top_p", "seed", "max_completions_tokens", "reasoning_effort"]);
        var temperature = OptionalNumber(sampling, at, "temperature", errors);
        if (temperature is < 0 or > 2) errors.Add(new($"{at}.temperature", "'temperature' is between 0 and 2."));
        var topP = OptionalNumber(sampling, at, "top_p", errors);
        if (topP is <= 0 or > 1) errors.Add(new($"{at}.top_p", "'top_p' is in (0, 1]."));
        long? seed = null;
        if (sampling.TryGetProperty("seed", out var s) && s.ValueKind != JsonValueKind.Null)
        {
            if (s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var v)) seed = v;
            else errors.Add(new($"{at}.seed", "'seed' is an integer."));
        }

        int? maxTokens = null;
        if (sampling.TryGetProperty("max_completions_tokens", out var m) && m.ValueKind != JsonValueKind.Null)
        {
            if (m.ValueKind == JsonValueKind.Number && m.TryGetInt32(out var v) && v is >= 1 and <= 4096) maxTokens = v;
            else errors.Add(new($"{at}.max_completions_tokens", "'max_completions_tokens' is an integer from 1 to 4096."));
        }

        string? effort = null;
        if (sampling.TryGetProperty("reasoning_effort", out var e) && e.ValueKind != JsonValueKind.Null)
        {
            if (e.ValueKind == JsonValueKind.String && e.GetString() is "none" or "minimal" or "low" or "medium" or "high" or "xhigh" or "max") effort = e.GetString();
            else errors.Add(new($"{at}.reasoning_effort", "'reasoning_effort' is one of none, minimal, low, medium, high, xhigh, max."));
        }

        return new GraderSamplingParams { Temperature = temperature, TopP = topP, Seed = seed, MaxCompletionsTokens = maxTokens, ReasoningEffort = effort };
    }

    private static void Members(JsonElement json, string path, List<GraderValidationError> errors, string[] allowed)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in json.EnumerateObject())
        {
            if (!seen.Add(member.Name)) errors.Add(new($"{path}.{member.Name}", $"Member '{member.Name}' appears more than once."));
            else if (!allowed.Contains(member.Name)) errors.Add(new($"{path}.{member.Name}", $"Unknown member '{member.Name}'; this grader has {string.Join(", ", allowed)}."));
        }
    }

    private static string? RequiredString(JsonElement json, string path, string member, List<GraderValidationError> errors)
    {
        if (!json.TryGetProperty(member, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new($"{path}.{member}", $"Required member '{member}' is missing."));
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new($"{path}.{member}", $"'{member}' is a string."));
            return null;
        }

        return value.GetString();
    }

    private static string? Template(JsonElement json, string path, string member, List<GraderValidationError> errors) =>
        RequiredString(json, path, member, errors) is { } text && CheckTemplate(text, $"{path}.{member}", errors) ? text : null;

    private static bool CheckTemplate(string text, string path, List<GraderValidationError> errors)
    {
        var (_, error) = GraderTemplate.Parse(text);
        if (error is null) return true;
        errors.Add(new(path, error));
        return false;
    }

    private static double? OptionalNumber(JsonElement json, string path, string member, List<GraderValidationError> errors)
    {
        if (!json.TryGetProperty(member, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.Number && double.IsFinite(value.GetDouble())) return value.GetDouble();
        errors.Add(new($"{path}.{member}", $"'{member}' is a number."));
        return null;
    }

    private static List<string>? StringList(JsonElement json, string path, string member, List<GraderValidationError> errors)
    {
        if (!json.TryGetProperty(member, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new($"{path}.{member}", $"Required member '{member}' is missing."));
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            errors.Add(new($"{path}.{member}", $"'{member}' is an array of strings."));
            return null;
        }

        return [.. value.EnumerateArray().Select(v => v.GetString()!)];
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
