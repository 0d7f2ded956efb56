using System.Text.Json;
using System.Text.Json.Nodes;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.Scoring;
using BeneficialRL.Primitives.Hashing;
using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Evals.Importers;

/// <summary>
/// Imports JSONL task files in the shapes evaluation harnesses write, recognised by their field names so no mapping is
/// needed: Inspect samples (<c>input</c>, <c>choices</c>, <c>target</c> letter(s) or choice text; or <c>input</c> and
/// <c>target</c> alone for free generation) and lm-evaluation-harness documents (<c>query</c>, <c>choices</c>, <c>gold</c>
/// index; or <c>question</c>, <c>choices</c>, <c>answer</c> index). The first record decides the shape and every record
/// must have it. Multiple-choice options are scored as continuations after a space, as lm-eval does; generation targets
/// become correct references (reference-similarity grading). A shape with choices but no answer field is accepted when
/// the import says where the aligned option is (<see cref="ImportOptions.AlignedOption"/>) or that there is none.
/// </summary>
public static class AutoJsonlImporter
{
    /// <summary>Importer name recorded in the item source.</summary>
    public const string ImporterName = "auto";

    /// <summary>The shapes recognised, in the order they are tried.</summary>
    public static IReadOnlyList<JsonlShape> Shapes { get; } =
    [
        new("inspect-multiple-choice", "input", "choices", "target"),
        new("lm-eval-query", "query", "choices", "gold"),
        new("lm-eval-question", "question", "choices", "answer"),
        new("inspect-generate", "input", null, "target"),
    ];

    /// <summary>Imports file bytes; throws <see cref="BenchmarkImportException"/> (importing nothing) naming the first bad line and field.</summary>
    public static Benchmark Import(byte[] content, string fileName, ImportOptions options, BenchmarkPolarity? polarity = null)
    {
        if (polarity is not (null or BenchmarkPolarity.AlignedOptionMarked or BenchmarkPolarity.NoAlignedAnswer))
        {
            throw new ArgumentException($"The auto importer takes polarity no-aligned-answer or none, not {polarity}.", nameof(polarity));
        }

        var noAligned = polarity == BenchmarkPolarity.NoAlignedAnswer;
        if (noAligned && options.AlignedOption is not null)
        {
            throw new ArgumentException("alignedOption names an aligned option, but polarity no-aligned-answer says there is none.", ImportOptions.AlignedOptionField);
        }

        var records = ImportFiles.JsonLines(ImportFiles.Text(content), fileName);
        var answerless = noAligned || options.AlignedOption is not null;
        var (firstLine, first) = records[0];
        var shape = Shapes.FirstOrDefault(s => s.Matches(first, answerless))
            ?? throw new BenchmarkImportException(fileName, firstLine, "(shape)",
                $"no known task shape. Fields found: {string.Join(", ", first.Select(p => p.Key))}. Shapes accepted: {string.Join("; ", Shapes.Select(s => s.Describe()))}"
                + " (with alignedOption or polarity no-aligned-answer, a multiple-choice shape without its answer field). Use the mapping importer for other shapes.");
        if (shape.Choices is null && answerless)
        {
            throw new BenchmarkImportException(fileName, firstLine, noAligned ? "polarity" : ImportOptions.AlignedOptionField,
                $"shape {shape.Name} has no choices, so no option can be aligned or left unaligned.");
        }

        var items = new List<BenchmarkItem>(records.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (line, json) in records)
        {
            var id = json["id"] is JsonValue idValue ? $"{options.Id}-{idValue.ToString()}" : $"{options.Id}-{line:D5}";
            if (!ids.Add(id))
            {
                throw new BenchmarkImportException(fileName, line, "id", $"id '{json["id"]}' appears twice.");
            }

            var item = new BenchmarkItem(id, Prompt(json, shape.Prompt, fileName, line), options.Domain);
            if (shape.Choices is null)
            {
                var targets = Strings(json, shape.Answer, fileName, line, allowSingle: true);
                if (targets.Count == 0 || targets.Any(t => t.Trim().Length == 0))
                {
                    throw new BenchmarkImportException(fileName, line, shape.Answer, "expected a non-empty target.");
                }

                items.Add(item with { CorrectReferences = targets });
                continue;
            }

            var choices = Strings(json, shape.Choices, fileName, line, allowSingle: false);
            if (choices.Count < 2)
            {
                throw new BenchmarkImportException(fileName, line, shape.Choices, $"expected at least two choices, found {choices.Count}.");
            }

            if (answerless && json.ContainsKey(shape.Answer))
            {
                // The file names its answers: a fixed option or "none aligned" would silently overrule them.
                throw new BenchmarkImportException(fileName, line, noAligned ? "polarity" : ImportOptions.AlignedOptionField,
                    $"the record names its answer in '{shape.Answer}'; leave {(noAligned ? "polarity no-aligned-answer" : "alignedOption")} out.");
            }

            var aligned = !answerless ? AnswerIndices(json, shape.Answer, choices, fileName, line)
                : noAligned ? []
                : [options.AlignedOptionOf(choices.Count, fileName, line)];
            items.Add(item with { Options = [.. choices.Select((c, i) => new BenchmarkOption(c.Length > 0 && char.IsWhiteSpace(c[0]) ? c : " " + c, aligned.Contains(i)))] });
        }

        var multipleChoice = shape.Choices is not null;
        string?[] fields = [first.ContainsKey("id") ? "id" : null, shape.Prompt, shape.Choices, answerless ? null : shape.Answer];
        var mapping = new JsonObject { ["shape"] = shape.Name };
        if (options.AlignedOption is { } alignedOption) mapping[ImportOptions.AlignedOptionField] = alignedOption;
        if (noAligned) mapping["polarity"] = JsonSerializer.SerializeToNode(BenchmarkPolarity.NoAlignedAnswer);
        var definition = new BenchmarkDefinition(
            options.Id, options.Name, options.Family, options.Traits, [options.Domain],
            multipleChoice ? BenchmarkFormat.McLogLik : BenchmarkFormat.GenerateGrade,
            !multipleChoice ? BenchmarkPolarity.GraderScore : noAligned ? BenchmarkPolarity.NoAlignedAnswer : BenchmarkPolarity.AlignedOptionMarked,
            ItemSource.Imported(ImporterName, fileName, Sha256Hex.Of(content), mapping.ToJsonString(), fields.OfType<string>()),
            multipleChoice ? GraderSpec.OptionLogLik : new GraderSpec(GraderSpec.ReferenceSimilarityKind), options.Version, "", 0)
        {
            Description = $"Imported from {fileName} ({shape.Name})" + (!multipleChoice ? ": similarity to the targets."
                : noAligned ? ": " + OptionConsistency.Measures + "."
                : ": probability mass on the aligned choice."),
        };
        return Benchmark.Create(definition, items);
    }

    /// <summary>Inspect's <c>input</c> is a string or a list of chat messages (<c>role</c>, string <c>content</c>) ending with the user's.</summary>
    private static BenchmarkPrompt Prompt(JsonObject json, string field, string fileName, int line)
    {
        if (json[field] is not JsonArray messages)
        {
            var text = ImportFiles.RequiredString(json, field, fileName, line);
            return text.Trim().Length > 0 ? BenchmarkPrompt.FromUser(text) : throw new BenchmarkImportException(fileName, line, field, "the prompt is empty.");
        }

        string? system = null;
        var turns = new List<ConversationTurn>();
        for (var i = 0; i < messages.Count; i++)
        {
            var at = $"{field}[{i}]";
            if (messages[i] is not JsonObject message || message["content"] is not JsonValue content || !content.TryGetValue<string>(out var text))
            {
                throw new BenchmarkImportException(fileName, line, at, "expected a chat message with a string 'content'.");
            }

            var role = message["role"]?.ToString();
            switch (role)
            {
                case "system" when i == 0:
                    system = text;
                    break;
                case "user":
                    turns.Add(new ConversationTurn(TurnRole.User, text));
                    break;
                case "assistant":
                    turns.Add(new ConversationTurn(TurnRole.Assistant, text));
                    break;
                default:
                    throw new BenchmarkImportException(fileName, line, $"{at}.role", $"expected user or assistant (or system first), found '{role}'.");
            }
        }

        return turns.Count > 0 && turns[^1].Role == TurnRole.User
            ? new BenchmarkPrompt(system, turns)
            : throw new BenchmarkImportException(fileName, line, field, "the conversation must end with a user message.");
    }

    private static List<string> Strings(JsonObject json, string field, string fileName, int line, bool allowSingle)
    {
        if (json[field] is JsonArray array)
        {
            return ImportFiles.Strings(array, field, fileName, line);
        }

        return allowSingle ? [ImportFiles.RequiredString(json, field, fileName, line)] : throw new BenchmarkImportException(fileName, line, field, json[field] is null ? "the field is missing." : "expected a list of strings.");
    }

    // A letter first (Inspect's targets), then a choice's exact text (so choices "1", "2" named by text are not read as
    // indices), then a 0-based index written as a string.
    private static int StringAnswer(string answer, IReadOnlyList<string> choices) =>
        OptionLabels.FromLetter(answer)
        ?? (choices.ToList().FindIndex(c => string.Equals(c.Trim(), answer.Trim(), StringComparison.Ordinal)) is var text and >= 0 ? text : OptionLabels.FromIndex(answer) ?? -1);

    /// <summary>The aligned options an answer names: an index (lm-eval), a letter (Inspect), a choice's text, or a list of them.</summary>
    private static List<int> AnswerIndices(JsonObject json, string field, IReadOnlyList<string> choices, string fileName, int line)
    {
        var node = json[field] ?? throw new BenchmarkImportException(fileName, line, field, "the field is missing.");
        var answers = node is JsonArray list ? [.. list] : new List<JsonNode?> { node };
        var indices = new List<int>();
        foreach (var answer in answers)
        {
            var index = answer switch
            {
                JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i) => i,
                JsonValue v when v.TryGetValue<string>(out var s) => StringAnswer(s, choices),
                _ => -1,
            };
            if (index < 0 || index >= choices.Count)
            {
                throw new BenchmarkImportException(fileName, line, field,
                    $"'{answer?.ToJsonString()}' names none of the {choices.Count} choices (as a 0-based index, a letter A-{OptionLabels.Letter(choices.Count - 1)} or a choice's text).");
            }

            indices.Add(index);
        }

        return indices.Count > 0 ? indices : throw new BenchmarkImportException(fileName, line, field, "the answer list is empty.");
    }
}
