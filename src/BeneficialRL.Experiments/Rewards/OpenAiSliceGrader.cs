using System.Text.Json;
using System.Text.Json.Serialization;
using BeneficialRL.Experiments.Mixtures;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Scenarios.Generation;
using BeneficialRL.Scenarios.Grading.OpenAi;
using BeneficialRL.Scenarios.Schema;
using BeneficialRL.Scenarios.StandardTasks;
using BeneficialRL.Scenarios.Taxonomy;

namespace BeneficialRL.Experiments.Rewards;

/// <summary>
/// A training slice rewarded by an OpenAI grader (<see cref="GraderKind.OpenAi"/>): <c>{{item.*}}</c> is the prompt's
/// scenario as a scenario-set JSONL line (<c>{{item.references[0].text}}</c>, <c>{{item.trait}}</c>…) or its standard task
/// (<c>{{item.expectedAnswer}}</c>, <c>{{item.prompt}}</c>…), <c>{{sample.output_text}}</c> the completion. The reward is the
/// grader's score clamped to [0, 1]; a run error (a variable the item lacks, a formula with no finite value) rewards 0.
/// Only deterministic graders: trainer silos have no grader model, so model graders are refused at submission.
/// </summary>
public sealed class OpenAiSliceGrader(OpenAiGrader grader)
{
    private static readonly JsonSerializerOptions TaskJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    private static readonly Lazy<JsonElement> SampleScenario = new(() =>
    {
        var taxonomy = ScenarioTaxonomy.Default;
        return ScenarioItem(new ScenarioGenerator().Generate(taxonomy.Traits[0].Id, taxonomy.Domains[0].Id, ScenarioSplit.Train, seed: 1, index: 0));
    });

    private static readonly Lazy<JsonElement> SampleTask = new(() => TaskItem(new StandardTaskGenerator().Generate(seed: 1, perFamily: 1).First()));

    /// <summary>The grader.</summary>
    public OpenAiGrader Grader => grader;

    /// <summary>The item of a scenario prompt: the scenario as in a scenario-set upload.</summary>
    public static JsonElement ScenarioItem(Scenario scenario) => JsonDocument.Parse(ScenarioJson.Serialize(scenario)).RootElement.Clone();

    /// <summary>The item of a standard-task prompt.</summary>
    public static JsonElement TaskItem(StandardTask task) => JsonSerializer.SerializeToElement(task, TaskJson);

    /// <summary>The item of a training prompt.</summary>
    public static JsonElement ItemOf(TrainingPrompt prompt) =>
        prompt.Task is { } task ? TaskItem(task) : ScenarioItem(prompt.Scenario ?? throw new InvalidOperationException($"Prompt '{prompt.Id}' has neither a scenario nor a task."));

    /// <summary>The grader a scenario carries (a scenario-set slice graded <c>openAi</c> with no grader of its own).</summary>
    public static OpenAiSliceGrader OfScenario(TrainingPrompt prompt)
    {
        if (prompt.Scenario?.Grader is not { } json)
        {
            throw new InvalidDataException($"Scenario '{prompt.Scenario?.Id ?? prompt.Id}' of slice '{prompt.Slice}' has no 'grader', and the slice (graded 'openAi' without an 'openaiGrader') rewards each scenario with its own: give every line of the set a grader, or the slice an openaiGrader.");
        }

        var (grader, errors) = OpenAiGraderParser.Parse(json, "$.grader");
        return grader is not null ? new OpenAiSliceGrader(grader) : throw new InvalidDataException($"Scenario '{prompt.Scenario.Id}': {errors[0].Path}: {errors[0].Message}");
    }

    /// <summary>
    /// Checks a slice's <c>openaiGrader</c> at <paramref name="path"/>: it parses, runs without a model, and every
    /// <c>{{item.*}}</c> it reads exists on the items of <paramref name="source"/> (checked on a generated example).
    /// </summary>
    public static IReadOnlyList<ValidationError> Validate(JsonElement json, SliceSource source, string path)
    {
        var (parsed, errors) = OpenAiGraderParser.Parse(json, path);
        if (parsed is null) return [.. errors.Select(e => new ValidationError(e.Path, e.Message))];
        if (parsed.Models(path).FirstOrDefault() is { Path: not null } model)
        {
            return [new ValidationError(model.Path, "Model graders (score_model, label_model) cannot reward training slices: trainer silos have no grader model. Use string_check, text_similarity or a multi grader of them, or try model graders with POST /api/v1/graders/run.")];
        }

        var example = source == SliceSource.StandardTasks ? SampleTask.Value : SampleScenario.Value;
        return parsed.MissingItemVariable(example, path) is { } missing
            ? [new ValidationError(missing.Path, $"{missing.Message} The items of a {(source == SliceSource.StandardTasks ? "standard-task" : "scenario")} slice do not have it.")]
            : [];
    }

    /// <summary>The reward of <paramref name="completion"/> on <paramref name="item"/>.</summary>
    public async Task<double> ScoreAsync(JsonElement item, string completion, CancellationToken cancellationToken)
    {
        var result = await OpenAiGraderRunner.RunAsync(grader, new GraderContext(item, completion), models: null, cancellationToken).ConfigureAwait(false);
        return result.Errors.Any ? 0 : Math.Clamp(result.Reward, 0, 1);
    }
}
