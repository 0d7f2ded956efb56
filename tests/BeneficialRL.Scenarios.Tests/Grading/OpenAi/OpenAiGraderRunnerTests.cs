using System.Text.Json;
using BeneficialRL.Scenarios.Grading.OpenAi;

namespace BeneficialRL.Scenarios.Tests.Grading.OpenAi;

public sealed class OpenAiGraderRunnerTests
{
    private static readonly JsonElement Item = JsonDocument.Parse("""{"answer": "Paris", "question": "Capital of France?"}""").RootElement;

    [Theory]
    [InlineData("eq", "Paris", 1)]
    [InlineData("eq", "paris", 0)]
    [InlineData("ne", "paris", 1)]
    [InlineData("like", "It is Paris.", 1)]
    [InlineData("like", "It is PARIS.", 0)]
    [InlineData("ilike", "It is PARIS.", 1)]
    [InlineData("ilike", "It is Lyon.", 0)]
    public async Task StringCheck_Operations_AreOpenAis(string operation, string sample, double expected)
    {
        var result = await RunAsync($$$"""{"type": "string_check", "name": "c", "input": "{{sample.output_text}}", "reference": "{{item.answer}}", "operation": "{{{operation}}}"}""", sample);
        Assert.False(result.Errors.Any);
        Assert.Equal(expected, result.Reward);
        Assert.Equal(expected, result.Scores["c"]);
        Assert.Null(result.TokenUsage);
    }

    [Fact]
    public async Task TextSimilarity_ScoresTheRenderedTexts()
    {
        var result = await RunAsync("""{"type": "text_similarity", "name": "s", "input": "{{sample.output_text}}", "reference": "the cat is on the mat", "evaluation_metric": "rouge_1"}""", "the cat sat on the mat");
        Assert.Equal(5.0 / 6, result.Reward, 12);
    }

    [Fact]
    public async Task Multi_CombinesSubScoresWithTheFormula()
    {
        var result = await RunAsync("""
            {"type": "multi", "name": "m", "calculate_output": "0.75 * exact + 0.25 * fuzzy",
             "graders": {"exact": {"type": "string_check", "name": "exact", "input": "{{sample.output_text}}", "reference": "{{item.answer}}", "operation": "eq"},
                         "fuzzy": {"type": "text_similarity", "name": "fuzzy", "input": "{{sample.output_text}}", "reference": "{{item.answer}}", "evaluation_metric": "fuzzy_match"}}}
            """, "Paris!");
        Assert.False(result.Errors.Any);
        Assert.Equal(0, result.Scores["exact"]);
        Assert.Equal(10.0 / 11, result.Scores["fuzzy"], 12);
        Assert.Equal(0.25 * 10 / 11, result.Reward, 12);
    }

    [Fact]
    public async Task Multi_FormulaNotFinite_IsAFormulaError()
    {
        var result = await RunAsync("""
            {"type": "multi", "name": "m", "calculate_output": "1 / exact",
             "graders": {"exact": {"type": "string_check", "name": "exact", "input": "{{sample.output_text}}", "reference": "Paris", "operation": "eq"}}}
            """, "Lyon");
        Assert.True(result.Errors.FormulaParseError);
        Assert.Equal(0, result.Reward);
        Assert.Equal(0, result.Scores["exact"]);
        Assert.Contains("not a finite number", result.Errors.Messages["m"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingItemVariable_IsAnInvalidVariableError_AndRewardZero()
    {
        var result = await RunAsync("""{"type": "string_check", "name": "c", "input": "{{sample.output_text}}", "reference": "{{item.city}}", "operation": "ne"}""", "x");
        Assert.True(result.Errors.InvalidVariableError);
        Assert.Equal(0, result.Reward);
        Assert.Empty(result.Scores);
        Assert.Contains("'city'", result.Errors.Messages["c"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutputJsonOfATextSample_IsASampleParseError()
    {
        var result = await RunAsync("""{"type": "string_check", "name": "c", "input": "{{sample.output_json.answer}}", "reference": "Paris", "operation": "eq"}""", "Paris");
        Assert.True(result.Errors.SampleParseError);
        var json = await RunAsync("""{"type": "string_check", "name": "c", "input": "{{sample.output_json.answer}}", "reference": "Paris", "operation": "eq"}""", """{"answer": "Paris"}""");
        Assert.Equal(1, json.Reward);
    }

    [Theory]
    [InlineData("""{"result": 6}""", 6, false)]
    [InlineData(" 4.5 ", 4.5, false)]
    [InlineData("""{"result": 9}""", 0, true)]
    [InlineData("seven", 0, true)]
    [InlineData("The score is 5", 0, true)]
    public async Task ScoreModel_ParsesTheModelsAnswer(string answer, double expected, bool parseError)
    {
        var client = new FakeModel(answer);
        var result = await RunAsync("""
            {"type": "score_model", "name": "judge", "model": "ckpt-1", "range": [1, 7],
             "input": [{"role": "developer", "content": "Rate the answer to {{item.question}}."}, {"role": "user", "content": "{{sample.output_text}}"}],
             "sampling_params": {"temperature": 0.5, "seed": 7}}
            """, "Paris", client);
        Assert.Equal(parseError, result.Errors.ModelGraderParseError);
        Assert.Equal(expected, result.Reward);
        Assert.Equal("ckpt-1", result.SampledModelName);
        Assert.Equal(12, result.TokenUsage);
        Assert.Equal(answer, result.ModelOutputs["judge"]);
        Assert.Equal(("system", "Rate the answer to Capital of France?."), client.Messages![0]);
        Assert.Equal(("user", "Paris"), client.Messages[1]);
        Assert.Contains("from 1 to 7", client.Messages[2].Content, StringComparison.Ordinal);
        Assert.Equal(7, client.Sampling!.Seed);
    }

    [Theory]
    [InlineData("""{"result": "correct"}""", 1, false)]
    [InlineData("incorrect", 0, false)]
    [InlineData("Correct", 1, false)]
    [InlineData("maybe", 0, true)]
    public async Task LabelModel_PassesOnPassingLabels(string answer, double expected, bool parseError)
    {
        var result = await RunAsync("""
            {"type": "label_model", "name": "l", "model": "ckpt-1", "labels": ["correct", "incorrect"], "passing_labels": ["correct"],
             "input": [{"role": "user", "content": "Is {{sample.output_text}} the capital of France?"}]}
            """, "Paris", new FakeModel(answer));
        Assert.Equal(parseError, result.Errors.ModelGraderParseError);
        Assert.Equal(expected, result.Reward);
    }

    [Fact]
    public async Task ModelGrader_ServerError_IsReportedWithDetails()
    {
        var result = await RunAsync("""{"type": "score_model", "name": "j", "model": "ckpt-1", "input": [{"role": "user", "content": "x"}]}""", "x", new FakeModel(null, "context_length_exceeded"));
        Assert.True(result.Errors.ModelGraderServerError);
        Assert.Equal("context_length_exceeded", result.Errors.ModelGraderServerErrorDetails);
        var none = await RunAsync("""{"type": "score_model", "name": "j", "model": "ckpt-1", "input": [{"role": "user", "content": "x"}]}""", "x");
        Assert.True(none.Errors.ModelGraderServerError);
    }

    private static async Task<GraderRunResult> RunAsync(string json, string sample, IGraderModelClient? client = null)
    {
        var (grader, errors) = OpenAiGraderParser.Parse(json);
        Assert.Empty(errors);
        return await OpenAiGraderRunner.RunAsync(grader!, new GraderContext(Item, sample), client, TestContext.Current.CancellationToken);
    }

    private sealed class FakeModel(string? answer, string? serverError = null) : IGraderModelClient
    {
        public IReadOnlyList<(string Role, string Content)>? Messages { get; private set; }

        public GraderSamplingParams? Sampling { get; private set; }

        public Task<GraderModelReply> CompleteAsync(string model, IReadOnlyList<(string Role, string Content)> messages, GraderSamplingParams? sampling, CancellationToken cancellationToken)
        {
            Messages = messages;
            Sampling = sampling;
            return Task.FromResult(new GraderModelReply(answer, 12, serverError));
        }
    }
}
