using System.Text.Json;
using BeneficialRL.Experiments.Mixtures;
using BeneficialRL.Experiments.Rewards;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Learning.Training.Grpo;

namespace BeneficialRL.Experiments.Tests.Rewards;

/// <summary>Training slices rewarded by OpenAI grader JSON: validation at submission and the reward on completions.</summary>
public sealed class OpenAiSliceGraderTests
{
    private const string ReferenceSimilarity = """
        {"type": "text_similarity", "name": "ref", "input": "{{sample.output_text}}", "reference": "{{item.references[0].text}}", "evaluation_metric": "rouge_l"}
        """;

    private const string TaskAnswer = """
        {"type": "multi", "name": "task", "calculate_output": "max(exact, 0.5 * contains)",
         "graders": {"exact": {"type": "string_check", "name": "exact", "input": "{{sample.output_text}}", "reference": "{{item.expectedAnswer}}", "operation": "eq"},
                     "contains": {"type": "string_check", "name": "contains", "input": "{{sample.output_text}}", "reference": "{{item.expectedAnswer}}", "operation": "like"}}}
        """;

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static ExperimentDefinition WithSlices(Func<SliceSpec, SliceSpec> traits, Func<SliceSpec, SliceSpec> standard)
    {
        var definition = ExperimentPresets.Get("quick");
        var treatment = definition.Arms.Single(a => a.Slices.Any(s => s.Source != SliceSource.StandardTasks));
        var index = definition.Arms.ToList().IndexOf(treatment);
        var slices = treatment.Slices.Select(s => s.Source == SliceSource.StandardTasks ? standard(s) : traits(s)).ToList();
        var arms = definition.Arms.ToList();
        arms[index] = treatment with { Slices = slices };
        return definition with { Arms = arms };
    }

    private static int TreatmentIndex => ExperimentPresets.Get("quick").Arms.ToList().FindIndex(a => a.Slices.Any(s => s.Source != SliceSource.StandardTasks));

    [Fact]
    public void Validate_OpenAiGradersOnScenarioAndTaskSlices_HaveNoErrors()
    {
        var definition = WithSlices(
            t => t with { Grader = GraderKind.OpenAi, OpenAiGrader = Json(ReferenceSimilarity) },
            s => s with { Grader = GraderKind.OpenAi, OpenAiGrader = Json(TaskAnswer) });

        Assert.Empty(ExperimentValidator.Validate(definition));
    }

    [Theory]
    [InlineData("""{"type": "text_similarity", "name": "s", "input": "{{sample.output_text}}", "reference": "{{item.answer}}", "evaluation_metric": "bleu"}""", "openaiGrader.reference", "do not have it")]
    [InlineData("""{"type": "text_similarity", "name": "s", "input": "{{sample.output_text}}", "reference": "x", "evaluation_metric": "cosine"}""", "openaiGrader.evaluation_metric", "embedding")]
    [InlineData("""{"type": "python", "name": "p", "source": ""}""", "openaiGrader.type", "user-supplied code")]
    [InlineData("""{"type": "label_model", "name": "l", "model": "m", "input": [{"role": "user", "content": "x"}], "labels": ["a", "b"], "passing_labels": ["a"]}""", "openaiGrader.model", "cannot reward training slices")]
    public void Validate_BadOpenAiGrader_IsAnErrorAtItsPath(string grader, string suffix, string message)
    {
        var definition = WithSlices(t => t with { Grader = GraderKind.OpenAi, OpenAiGrader = Json(grader) }, s => s);

        var error = Assert.Single(ExperimentValidator.Validate(definition));
        Assert.StartsWith($"$.arms[{TreatmentIndex}].slices[", error.Path, StringComparison.Ordinal);
        Assert.EndsWith(suffix, error.Path, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OpenAiWithoutGraderJson_OrJsonWithAnotherGrader_AreErrors()
    {
        var missing = WithSlices(t => t with { Grader = GraderKind.OpenAi }, s => s);
        Assert.EndsWith(".openaiGrader", Assert.Single(ExperimentValidator.Validate(missing)).Path, StringComparison.Ordinal);
        var stray = WithSlices(t => t with { OpenAiGrader = Json(ReferenceSimilarity) }, s => s);
        Assert.Contains("only read when", Assert.Single(ExperimentValidator.Validate(stray)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Definition_WithoutOpenAiGrader_SerializesAsBefore() =>
        Assert.DoesNotContain("openaiGrader", ExperimentJson.Serialize(ExperimentPresets.Get("quick")), StringComparison.Ordinal);

    [Fact]
    public void Definition_WithOpenAiGrader_RoundTripsThroughJson()
    {
        var definition = WithSlices(t => t with { Grader = GraderKind.OpenAi, OpenAiGrader = Json(ReferenceSimilarity) }, s => s);
        var back = ExperimentJson.Deserialize(ExperimentJson.Serialize(definition));
        var slice = back.Arms[TreatmentIndex].Slices.Single(s => s.Grader == GraderKind.OpenAi);
        Assert.Equal("rouge_l", slice.OpenAiGrader!.Value.GetProperty("evaluation_metric").GetString());
        Assert.Empty(ExperimentValidator.Validate(back));
    }

    [Fact]
    public void BaseSpecHash_IgnoresTheSlicesGrader()
    {
        var plain = ExperimentPresets.Get("quick");
        var graded = WithSlices(t => t with { Grader = GraderKind.OpenAi, OpenAiGrader = Json(ReferenceSimilarity) }, s => s);
        Assert.Equal(BaseModelStage.SpecHash(plain), BaseModelStage.SpecHash(graded));
    }

    [Fact]
    public async Task ScoreBatch_OpenAiSlices_RewardReferenceAnswersAndTaskAnswers()
    {
        var traits = new SliceSpec { Name = "traits", Source = SliceSource.Scenarios, Share = 0.5, ScenariosPerCell = 1, Grader = GraderKind.OpenAi, OpenAiGrader = Json(ReferenceSimilarity) };
        var standard = new SliceSpec { Name = "standard", Source = SliceSource.StandardTasks, Share = 0.5, TasksPerFamily = 2, Grader = GraderKind.OpenAi, OpenAiGrader = Json(TaskAnswer) };
        var scenario = PromptPools.Build(traits)[0];
        var task = PromptPools.Build(standard).First(p => p.Task!.ExpectedAnswer is { Length: > 0 });
        var answer = task.Task!.ExpectedAnswer!;
        RewardRequest[] batch =
        [
            Request(scenario, 0, scenario.Scenario!.References[0].Text),
            Request(scenario, 1, "zzz qqq"),
            Request(task, 0, answer),
            Request(task, 1, $"The answer is {answer}."),
            Request(task, 2, "no idea"),
        ];

        var function = new MixtureRewardFunction([traits, standard]);
        var rewards = await Task.WhenAll(function.ScoreBatch(batch, TestContext.Current.CancellationToken));

        Assert.Equal([1.0, 0.0, 1.0, 0.5, 0.0], rewards);
        Assert.Equal([1.0, 0.0], function.DrainSliceRewards()["traits"]);
    }

    [Fact]
    public async Task ScoreBatch_ScenarioSetSliceWithoutItsOwnGrader_UsesEachScenariosGrader()
    {
        var slice = new SliceSpec { Name = "set", Source = SliceSource.ScenarioSet, ScenarioSetId = "mine", Share = 1, Grader = GraderKind.OpenAi };
        var generated = PromptPools.Build(new SliceSpec { Name = "set", Source = SliceSource.Scenarios, Share = 1, ScenariosPerCell = 1 }).Take(2).ToList();
        var exact = generated[0] with { Scenario = generated[0].Scenario! with { Grader = Json("""{"type": "string_check", "name": "c", "input": "{{sample.output_text}}", "reference": "{{item.id}}", "operation": "eq"}""") } };
        var bare = generated[1];

        var function = new MixtureRewardFunction([slice]);
        var rewards = await Task.WhenAll(function.ScoreBatch([Request(exact, 0, exact.Scenario!.Id), Request(exact, 1, "other")], TestContext.Current.CancellationToken));
        Assert.Equal([1.0, 0.0], rewards);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => function.ScoreBatch([Request(bare, 0, "x")], TestContext.Current.CancellationToken)[0]);
        Assert.Contains("has no 'grader'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OpenAiWithoutGraderJson_IsAllowedOnlyOnScenarioSetSlices()
    {
        var definition = WithSlices(t => t with { Grader = GraderKind.OpenAi, Source = SliceSource.ScenarioSet, ScenarioSetId = "mine" }, s => s);
        Assert.Empty(ExperimentValidator.Validate(definition));
    }

    private static RewardRequest Request(TrainingPrompt prompt, int sample, string completion) =>
        new(new GrpoPrompt(prompt.Id, [], prompt), sample, completion, [], false);
}
