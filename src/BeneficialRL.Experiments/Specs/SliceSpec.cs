using System.Text.Json;
using System.Text.Json.Serialization;

namespace BeneficialRL.Experiments.Specs;

/// <summary>One slice of an arm's mixture: a prompt source, filters, its share of every batch and its grader.</summary>
public sealed record SliceSpec
{
    /// <summary>Name unique within the arm, e.g. <c>traits</c> or <c>standard</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary>Prompt source.</summary>
    public SliceSource Source { get; init; } = SliceSource.StandardTasks;

    /// <summary>Uploaded scenario set id (only with <see cref="SliceSource.ScenarioSet"/>).</summary>
    public string? ScenarioSetId { get; init; }

    /// <summary>Domain filter (empty = all training domains).</summary>
    public IReadOnlyList<string> Domains { get; init; } = [];

    /// <summary>Trait filter (empty = every trait that is not held out).</summary>
    public IReadOnlyList<string> Traits { get; init; } = [];

    /// <summary>Pressure filter (empty = all).</summary>
    public IReadOnlyList<string> Pressures { get; init; } = [];

    /// <summary>Share of every batch in (0, 1]; an arm's shares sum to 1.</summary>
    public double Share { get; init; } = 1;

    /// <summary>Reward grader.</summary>
    public GraderKind Grader { get; init; } = GraderKind.StandardTask;

    /// <summary>Endpoint of the model grader (only with <see cref="GraderKind.ModelGrader"/>).</summary>
    public string? ModelGraderEndpoint { get; init; }

    /// <summary>
    /// OpenAI grader JSON (only with <see cref="GraderKind.OpenAi"/>). Left out of the JSON when absent, so the hashes of
    /// definitions without it do not change.
    /// </summary>
    [JsonPropertyName("openaiGrader")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? OpenAiGrader { get; init; }

    /// <summary>Scenarios per trait × domain cell in the prompt pool (built-in scenarios).</summary>
    public int ScenariosPerCell { get; init; } = 6;

    /// <summary>Tasks per family in the prompt pool (standard tasks).</summary>
    public int TasksPerFamily { get; init; } = 200;

    /// <summary>
    /// Placebo control: the slice's graded rewards are permuted among its completions of the same scoring batch of a
    /// step, so the reward no longer depends on what the completion says (its mean and spread are unchanged).
    /// </summary>
    public bool ShuffleRewards { get; init; }
}
