using System.Text.Json.Serialization;

namespace BeneficialRL.Evals.Importers;

/// <summary>
/// How the generic importer maps a CSV or JSONL file onto benchmark items. Field names are CSV column
/// names or JSON paths (dots reach into nested objects).
/// </summary>
public sealed record MappingSpec
{
    /// <summary><c>csv</c> or <c>jsonl</c>.</summary>
    [JsonPropertyName("fileFormat")]
    public string FileFormat { get; init; } = "jsonl";

    /// <summary><c>mc-loglik</c> or <c>generate-grade</c>.</summary>
    public string Format { get; init; } = "mc-loglik";

    /// <summary>Optional id field; the record number otherwise.</summary>
    public string? Id { get; init; }

    /// <summary>The prompt: a template over field names in braces (<c>"{context}\n{question}"</c>) or a single field name.</summary>
    public string Prompt { get; init; } = "";

    /// <summary>Optional system-message template.</summary>
    public string? System { get; init; }

    /// <summary>mc-loglik: the option fields, in order (or one field holding a list, with <see cref="OptionsSeparator"/> for CSV cells).</summary>
    public IReadOnlyList<string> Options { get; init; } = [];

    /// <summary>CSV: separator inside a single options cell (e.g. <c>"; "</c>).</summary>
    public string? OptionsSeparator { get; init; }

    /// <summary>mc-loglik: the field saying which option is aligned (leave it out with the import option <c>alignedOption</c> or polarity <c>no-aligned-answer</c>).</summary>
    public string? Aligned { get; init; }

    /// <summary>How <see cref="Aligned"/> is written: <c>index</c> (0-based), <c>letter</c> (A, B, " (B)"), or <c>text</c> (the option's text).</summary>
    public string AlignedKind { get; init; } = "index";

    /// <summary>generate-grade: the field with the correct reference answer(s).</summary>
    public string? CorrectReferences { get; init; }

    /// <summary>generate-grade: the field with incorrect reference answers (optional).</summary>
    public string? IncorrectReferences { get; init; }

    /// <summary>Separator of reference lists in one CSV cell.</summary>
    public string? ReferencesSeparator { get; init; }

    /// <summary>generate-grade grader: <c>reference-similarity</c>, <c>numeric</c>, <c>refusal-label</c> (with <see cref="Label"/>) or <c>openai</c> (with <see cref="OpenAiGrader"/>).</summary>
    public string Grader { get; init; } = "reference-similarity";

    /// <summary>
    /// With <c>grader: openai</c>: an OpenAI grader (string_check, text_similarity or a multi grader of them) whose
    /// <c>{{item.*}}</c> templates read the record itself and <c>{{sample.output_text}}</c> the policy's response.
    /// </summary>
    [JsonPropertyName("openaiGrader")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public System.Text.Json.JsonElement? OpenAiGrader { get; init; }

    /// <summary>With <c>grader: refusal-label</c>: the field labelling each prompt should-comply or should-refuse (also comply / refuse).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Label { get; init; }

    /// <summary>With polarity <c>no-aligned-answer</c>: optional field grouping paraphrases of one dilemma (same options in the same order), scored together.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Group { get; init; }

    /// <summary>Optional domain field; the import options' domain otherwise.</summary>
    public string? Domain { get; init; }

    /// <summary>Fields copied into item tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
}
