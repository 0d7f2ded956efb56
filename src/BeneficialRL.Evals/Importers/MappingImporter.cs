using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.Scoring;
using BeneficialRL.Primitives.Hashing;
using BeneficialRL.Scenarios.Grading.OpenAi;

namespace BeneficialRL.Evals.Importers;

/// <summary>
/// The generic importer: a CSV or JSONL file plus a <see cref="MappingSpec"/> (JSON) becomes a
/// benchmark, so a user can bring a format nobody anticipated. Any bad record aborts the whole import
/// with an error naming its line and field.
/// </summary>
public static partial class MappingImporter
{
    /// <summary>Importer name recorded in the item source.</summary>
    public const string ImporterName = "mapping";

    private static readonly JsonSerializerOptions SpecJson = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };

    /// <summary>Parses a mapping spec from JSON; unknown keys are errors so typos surface.</summary>
    public static MappingSpec ParseSpec(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<MappingSpec>(json, SpecJson) ?? throw new ArgumentException("The mapping spec is null.", nameof(json));
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The mapping spec is invalid at {ex.Path}: {ex.Message}", nameof(json), ex);
        }
    }

    /// <summary>
    /// Imports <paramref name="content"/> with <paramref name="spec"/>. An mc-loglik mapping says which option is aligned
    /// by its <see cref="MappingSpec.Aligned"/> field, by <see cref="ImportOptions.AlignedOption"/> (the same option in
    /// every item), or not at all under <paramref name="polarity"/> <see cref="BenchmarkPolarity.NoAlignedAnswer"/>.
    /// </summary>
    public static Benchmark Import(byte[] content, string fileName, MappingSpec spec, ImportOptions options, BenchmarkPolarity? polarity = null)
    {
        var format = spec.Format switch
        {
            "mc-loglik" => BenchmarkFormat.McLogLik,
            "generate-grade" => BenchmarkFormat.GenerateGrade,
            _ => throw new ArgumentException($"Mapping 'format' must be mc-loglik or generate-grade, not '{spec.Format}'.", nameof(spec)),
        };
        var noAligned = CheckAlignment(spec, format, options, polarity);
        var refusalLabel = format == BenchmarkFormat.GenerateGrade && spec.Grader == GraderSpec.RefusalLabelKind;
        if (refusalLabel != (spec.Label is not null))
        {
            throw new ArgumentException(refusalLabel
                ? "'grader': 'refusal-label' needs 'label': the field holding should-comply or should-refuse."
                : "'label' is read only by a generate-grade mapping with 'grader': 'refusal-label'.", nameof(spec));
        }

        var openAi = format == BenchmarkFormat.GenerateGrade && spec.Grader == GraderSpec.OpenAiKind ? OpenAiGraderOf(spec) : null;
        if (format == BenchmarkFormat.GenerateGrade && spec.CorrectReferences is null && openAi is null && !refusalLabel)
        {
            throw new ArgumentException("A generate-grade mapping needs 'correctReferences' (or 'grader': 'openai' with an 'openaiGrader', or 'grader': 'refusal-label' with a 'label').", nameof(spec));
        }

        if (spec.Prompt.Length == 0)
        {
            throw new ArgumentException("The mapping needs 'prompt'.", nameof(spec));
        }

        var records = ReadRecords(content, fileName, spec.FileFormat);
        var items = new List<BenchmarkItem>(records.Count);
        var groupSizes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (line, record, whole) in records)
        {
            var prompt = Fill(spec.Prompt, record, line, fileName);
            var system = spec.System is null ? null : Fill(spec.System, record, line, fileName);
            var id = spec.Id is null ? $"{options.Id}-{items.Count:D5}" : $"{options.Id}-{Single(record, spec.Id, line, fileName)}";
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var item = new BenchmarkItem(id, BenchmarkPrompt.FromUser(prompt, system), spec.Domain is null ? options.Domain : Single(record, spec.Domain, line, fileName))
            {
                Tags = [.. spec.Tags.Select(t => Single(record, t, line, fileName))],
                Metadata = metadata,
            };
            if (format == BenchmarkFormat.McLogLik)
            {
                var optionTexts = spec.Options.Count == 1
                    ? List(record, spec.Options[0], spec.OptionsSeparator, line, fileName)
                    : [.. spec.Options.Select(o => Single(record, o, line, fileName))];
                if (optionTexts.Count < 2)
                {
                    throw new BenchmarkImportException(fileName, line, spec.Options[0], $"expected at least two options, found {optionTexts.Count}.");
                }

                var aligned = spec.Aligned is not null ? AlignedIndex(Single(record, spec.Aligned, line, fileName), spec.AlignedKind, optionTexts, spec.Aligned, line, fileName)
                    : noAligned ? -1
                    : options.AlignedOptionOf(optionTexts.Count, fileName, line);
                item = item with { Options = [.. optionTexts.Select((o, i) => new BenchmarkOption(o, i == aligned))] };
                if (spec.Group is not null)
                {
                    var group = Single(record, spec.Group, line, fileName);
                    if (groupSizes.TryAdd(group, optionTexts.Count) is false && groupSizes[group] != optionTexts.Count)
                    {
                        throw new BenchmarkImportException(fileName, line, spec.Group, $"paraphrase group '{group}' has {groupSizes[group]} options elsewhere, this record {optionTexts.Count}: paraphrases must offer the same options.");
                    }

                    metadata[OptionConsistency.GroupKey] = group;
                }
            }
            else if (refusalLabel)
            {
                var label = Single(record, spec.Label!, line, fileName);
                metadata[RefusalLabelGrader.ExpectedKey] = RefusalLabelGrader.Canonical(label)
                    ?? throw new BenchmarkImportException(fileName, line, spec.Label!, $"expected one of {string.Join(", ", RefusalLabelGrader.AcceptedLabels)}, found '{label}'.");
            }
            else if (spec.CorrectReferences is null)
            {
                item = item with { GraderItem = GraderItemOf(openAi!, whole(), line, fileName) };
            }
            else
            {
                var correct = List(record, spec.CorrectReferences!, spec.ReferencesSeparator, line, fileName);
                if (correct.Count == 0)
                {
                    throw new BenchmarkImportException(fileName, line, spec.CorrectReferences!, "no correct reference.");
                }

                item = item with
                {
                    CorrectReferences = correct,
                    IncorrectReferences = spec.IncorrectReferences is null ? [] : List(record, spec.IncorrectReferences, spec.ReferencesSeparator, line, fileName),
                    GraderItem = openAi is null ? null : GraderItemOf(openAi, whole(), line, fileName),
                };
            }

            items.Add(item);
        }

        var grader = format == BenchmarkFormat.McLogLik ? GraderSpec.OptionLogLik : spec.Grader switch
        {
            GraderSpec.ReferenceSimilarityKind or GraderSpec.NumericKind or GraderSpec.RefusalLabelKind => new GraderSpec(spec.Grader),
            GraderSpec.OpenAiKind => new GraderSpec(GraderSpec.OpenAiKind) { OpenAiGrader = spec.OpenAiGrader!.Value.GetRawText() },
            _ => throw new ArgumentException($"Mapping 'grader' must be reference-similarity, numeric, refusal-label or openai, not '{spec.Grader}'.", nameof(spec)),
        };

        // The source keeps the spec and the import settings that shaped the items.
        var mapping = JsonSerializer.SerializeToNode(spec, SpecJson)!.AsObject();
        if (options.AlignedOption is { } alignedOption) mapping["alignedOption"] = alignedOption;
        if (noAligned) mapping["polarity"] = JsonSerializer.SerializeToNode(BenchmarkPolarity.NoAlignedAnswer);
        var definition = new BenchmarkDefinition(
            options.Id, options.Name, options.Family, options.Traits, [], format,
            format == BenchmarkFormat.GenerateGrade ? BenchmarkPolarity.GraderScore : noAligned ? BenchmarkPolarity.NoAlignedAnswer : BenchmarkPolarity.AlignedOptionMarked,
            ItemSource.Imported(ImporterName, fileName, Sha256Hex.Of(content), mapping.ToJsonString(), FieldsOf(spec, openAi is not null)), grader, options.Version, "", 0)
        {
            Description = noAligned ? $"Imported from {fileName} with a column mapping; {OptionConsistency.Measures}."
                : refusalLabel ? $"Imported from {fileName} with a column mapping: complying with should-comply prompts and refusing should-refuse ones, by the refusal classifier."
                : $"Imported from {fileName} with a column mapping.",
        };
        return Benchmark.Create(definition, items);
    }

    /// <summary>Checks the ways an mc-loglik mapping may say which option is aligned (exactly one); true when none is.</summary>
    private static bool CheckAlignment(MappingSpec spec, BenchmarkFormat format, ImportOptions options, BenchmarkPolarity? polarity)
    {
        var noAligned = polarity == BenchmarkPolarity.NoAlignedAnswer;
        if (polarity is not (null or BenchmarkPolarity.AlignedOptionMarked or BenchmarkPolarity.NoAlignedAnswer) || (noAligned && format != BenchmarkFormat.McLogLik))
        {
            throw new ArgumentException($"The mapping importer takes polarity no-aligned-answer (mc-loglik mappings only) or none, not {polarity}.", nameof(polarity));
        }

        if (format != BenchmarkFormat.McLogLik)
        {
            return options.AlignedOption is null ? false : throw new ArgumentException("alignedOption applies to mc-loglik mappings only.", ImportOptions.AlignedOptionField);
        }

        if (spec.Options.Count == 0)
        {
            throw new ArgumentException("An mc-loglik mapping needs 'options'.", nameof(spec));
        }

        if (spec.Group is not null && !noAligned)
        {
            throw new ArgumentException("'group' (paraphrase groups) is read only with polarity no-aligned-answer.", nameof(spec));
        }

        return (spec.Aligned is not null, options.AlignedOption is not null, noAligned) switch
        {
            (false, false, false) => throw new ArgumentException(
                "An mc-loglik mapping needs 'aligned' (the field naming the aligned option), the import option alignedOption (the same option in every item), or polarity no-aligned-answer.", nameof(spec)),
            (true, true, _) => throw new ArgumentException("alignedOption and the mapping's 'aligned' both say which option is aligned: give one.", ImportOptions.AlignedOptionField),
            (_, true, true) => throw new ArgumentException("alignedOption names an aligned option, but polarity no-aligned-answer says there is none.", ImportOptions.AlignedOptionField),
            (true, _, true) => throw new ArgumentException("polarity no-aligned-answer says no option is aligned, but the mapping names an 'aligned' field: leave one out.", nameof(polarity)),
            _ => noAligned,
        };
    }

    /// <summary>The fields of the file the spec reads, for the source record.</summary>
    private static IEnumerable<string> FieldsOf(MappingSpec spec, bool wholeRecord)
    {
        IEnumerable<string> Template(string? template) =>
            template is null ? [] : template.Contains('{', StringComparison.Ordinal) ? Placeholder().Matches(template).Select(m => m.Groups[1].Value) : [template];
        string?[] singles = [spec.Id, spec.Domain, .. spec.Options, spec.Aligned, spec.CorrectReferences, spec.IncorrectReferences, spec.Label, spec.Group, .. spec.Tags];
        return [.. Template(spec.System), .. Template(spec.Prompt), .. singles.OfType<string>(), .. wholeRecord ? ["(whole record: the OpenAI grader's item)"] : Array.Empty<string>()];
    }

    /// <summary>The mapping's OpenAI grader, parsed and checked; errors name their path inside the mapping (<c>$.openaiGrader…</c>).</summary>
    private static OpenAiGrader OpenAiGraderOf(MappingSpec spec)
    {
        if (spec.OpenAiGrader is not { } json) throw new OpenAiGraderMappingException("$.openaiGrader", "'grader': 'openai' needs an 'openaiGrader': the grader's JSON.");
        var (grader, errors) = OpenAiGraderParser.Parse(json, "$.openaiGrader");
        if (grader is null) throw new OpenAiGraderMappingException(errors[0].Path, errors[0].Message);
        if (grader.Models("$.openaiGrader").FirstOrDefault() is { Path: not null } model)
        {
            throw new OpenAiGraderMappingException(model.Path,
                "Model graders (score_model, label_model) cannot score benchmark runs: a run grades on a trainer silo with no grader model. Use string_check, text_similarity or a multi grader of them here, and try model graders with POST /api/v1/graders/run.");
        }

        return grader;
    }

    /// <summary>The record as the grader's item, refused when it lacks a variable the grader's templates read.</summary>
    private static string GraderItemOf(OpenAiGrader grader, JsonObject record, int line, string fileName)
    {
        var text = record.ToJsonString();
        using var document = JsonDocument.Parse(text);
        if (grader.MissingItemVariable(document.RootElement, "$.openaiGrader") is { } missing)
            throw new BenchmarkImportException(fileName, line, missing.Path, missing.Message);
        return text;
    }

    private static List<(int Line, Func<string, object?> Get, Func<JsonObject> Whole)> ReadRecords(byte[] content, string fileName, string fileFormat)
    {
        var text = ImportFiles.Text(content);
        switch (fileFormat)
        {
            case "csv":
                var table = CsvTable.Parse(text, fileName);
                return [.. table.Rows.Select(r => (r.Line, (Func<string, object?>)(field => r.Fields[table.Column(field)]),
                    (Func<JsonObject>)(() => new JsonObject(table.Header.Select((h, i) => KeyValuePair.Create(h, (JsonNode?)r.Fields[i]))))))];
            case "jsonl":
                return [.. ImportFiles.JsonLines(text, fileName).Select(r => (r.Line, (Func<string, object?>)(field => ImportFiles.Select(r.Json, field)), (Func<JsonObject>)(() => r.Json)))];
            default:
                throw new ArgumentException($"Mapping 'fileFormat' must be csv or jsonl, not '{fileFormat}'.", nameof(fileFormat));
        }
    }

    private static string Single(Func<string, object?> record, string field, int line, string fileName)
    {
        object? value;
        try
        {
            value = record(field);
        }
        catch (BenchmarkImportException ex)
        {
            throw new BenchmarkImportException(fileName, line, field, $"no such column ({ex.Message}).", ex);
        }

        return value switch
        {
            string s => s,
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonValue v => v.ToJsonString(),
            null => throw new BenchmarkImportException(fileName, line, field, "the field is missing."),
            _ => throw new BenchmarkImportException(fileName, line, field, "expected a single value."),
        };
    }

    private static List<string> List(Func<string, object?> record, string field, string? separator, int line, string fileName)
    {
        if (record(field) is JsonArray array)
        {
            return ImportFiles.Strings(array, field, fileName, line);
        }

        var single = Single(record, field, line, fileName);
        return separator is null ? [single] : [.. single.Split(separator.Trim()).Select(s => s.Trim()).Where(s => s.Length > 0)];
    }

    private static string Fill(string template, Func<string, object?> record, int line, string fileName) =>
        template.Contains('{', StringComparison.Ordinal)
            ? Placeholder().Replace(template, m => Single(record, m.Groups[1].Value, line, fileName))
            : Single(record, template, line, fileName);

    private static int AlignedIndex(string value, string kind, IReadOnlyList<string> options, string field, int line, string fileName)
    {
        var index = kind switch
        {
            "index" => OptionLabels.FromIndex(value) ?? -1,
            "letter" => OptionLabels.FromLetter(value) ?? -1,
            "text" => options.ToList().FindIndex(o => string.Equals(o.Trim(), value.Trim(), StringComparison.Ordinal)),
            _ => throw new ArgumentException($"Mapping 'alignedKind' must be index, letter or text, not '{kind}'.", nameof(kind)),
        };
        return index >= 0 && index < options.Count
            ? index
            : throw new BenchmarkImportException(fileName, line, field, $"'{value}' does not name one of the {options.Count} options (as {kind}).");
    }

    [GeneratedRegex(@"\{([^{}]+)\}")]
    private static partial Regex Placeholder();
}
