using System.Text.Json.Serialization;
using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Evals.Definitions;

/// <summary>One benchmark item.</summary>
/// <param name="Id">Unique within the benchmark.</param>
/// <param name="Prompt">The conversation up to the turn the policy answers (for multi-turn, all earlier turns).</param>
/// <param name="Domain">Domain id (taxonomy or benchmark-only domain).</param>
public sealed record BenchmarkItem(string Id, BenchmarkPrompt Prompt, string Domain)
{
    /// <summary><c>mc-loglik</c>: the options, at least two, at least one aligned.</summary>
    public IReadOnlyList<BenchmarkOption> Options { get; init; } = [];

    /// <summary><c>generate-grade</c> / <c>multi-turn</c> with a rubric grader: the item's rubric.</summary>
    public IReadOnlyList<RubricCriterion> Rubric { get; init; } = [];

    /// <summary>Correct reference answers (numeric answer, TruthfulQA true answers).</summary>
    public IReadOnlyList<string> CorrectReferences { get; init; } = [];

    /// <summary>Incorrect reference answers (TruthfulQA false answers).</summary>
    public IReadOnlyList<string> IncorrectReferences { get; init; } = [];

    /// <summary>Identity-swap benchmarks: the same prompt with the identity swapped; the item scores consistency across the pair.</summary>
    public BenchmarkPrompt? SwappedPrompt { get; init; }

    /// <summary>Free tags (template id, pressure, context condition ...).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>
    /// With an OpenAI grader: the source record as a JSON object, the <c>{{item.*}}</c> namespace its templates read.
    /// Left out of the canonical JSON when absent, so the content hashes of other benchmarks do not change.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? GraderItem { get; init; }

    /// <summary>Importer-specific fields kept for metrics (e.g. BBQ's unknown and stereotyped option indices).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
