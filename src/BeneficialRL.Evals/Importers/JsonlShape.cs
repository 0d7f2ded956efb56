using System.Text.Json.Nodes;

namespace BeneficialRL.Evals.Importers;

/// <summary>A JSONL task shape the auto importer recognises by its field names.</summary>
/// <param name="Name">Recorded in the item source.</param>
/// <param name="Prompt">The prompt field.</param>
/// <param name="Choices">The options field, or null for free generation.</param>
/// <param name="Answer">The field naming the aligned option(s), or the generation target(s).</param>
public sealed record JsonlShape(string Name, string Prompt, string? Choices, string Answer)
{
    /// <summary>Whether <paramref name="record"/> has this shape's fields (the answer may be absent when <paramref name="answerless"/> and there are choices).</summary>
    public bool Matches(JsonObject record, bool answerless) =>
        record.ContainsKey(Prompt) && (Choices is null || record.ContainsKey(Choices)) && (record.ContainsKey(Answer) || (answerless && Choices is not null));

    /// <summary>"name (fields)" for messages.</summary>
    public string Describe() => $"{Name} ({string.Join(", ", new[] { Prompt, Choices, Answer }.OfType<string>())})";
}
