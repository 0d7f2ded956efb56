using BeneficialRL.Scenarios.Grading.OpenAi;

namespace BeneficialRL.Scenarios.Tests.Grading.OpenAi;

public sealed class OpenAiGraderParserTests
{
    [Fact]
    public void Parse_EveryType_ReadsOpenAisShapes()
    {
        var (check, errors) = OpenAiGraderParser.Parse("""{"type": "string_check", "name": "exact", "input": "{{sample.output_text}}", "reference": "{{item.answer}}", "operation": "eq"}""");
        Assert.Empty(errors);
        Assert.Equal(new OpenAiStringCheck("exact", "{{sample.output_text}}", "{{item.answer}}", StringCheckOperation.Eq), check);

        var (similarity, _) = OpenAiGraderParser.Parse("""{"type": "text_similarity", "name": "s", "input": "{{sample.output_text}}", "reference": "x", "evaluation_metric": "rouge_l", "pass_threshold": 0.6}""");
        Assert.Equal(SimilarityMetric.RougeL, Assert.IsType<OpenAiTextSimilarity>(similarity).Metric);

        var (score, scoreErrors) = OpenAiGraderParser.Parse("""
            {"type": "score_model", "name": "judge", "model": "ckpt-1", "range": [1, 7], "pass_threshold": 5,
             "input": [{"role": "system", "content": "Grade 1-7."}, {"role": "user", "type": "message", "content": [{"type": "input_text", "text": "{{sample.output_text}}"}, "and {{item.q}}"]}],
             "sampling_params": {"temperature": 0, "seed": 3, "max_completions_tokens": 16, "reasoning_effort": "low"}}
            """);
        Assert.Empty(scoreErrors);
        var model = Assert.IsType<OpenAiScoreModel>(score);
        Assert.Equal((1.0, 7.0), (model.RangeMin, model.RangeMax));
        Assert.Equal(["{{sample.output_text}}", "and {{item.q}}"], model.Input[1].Content);
        Assert.Equal(16, model.SamplingParams!.MaxCompletionsTokens);

        var (label, _) = OpenAiGraderParser.Parse("""{"type": "label_model", "name": "l", "model": "m", "input": [{"role": "user", "content": "x"}], "labels": ["good", "bad"], "passing_labels": ["good"]}""");
        Assert.Equal(["good"], Assert.IsType<OpenAiLabelModel>(label).PassingLabels);

        var (multi, multiErrors) = OpenAiGraderParser.Parse("""
            {"type": "multi", "name": "m", "calculate_output": "0.5 * a + 0.5 * b",
             "graders": {"a": {"type": "string_check", "name": "a", "input": "x", "reference": "x", "operation": "ilike"},
                         "b": {"type": "text_similarity", "name": "b", "input": "x", "reference": "x", "evaluation_metric": "fuzzy_match"}}}
            """);
        Assert.Empty(multiErrors);
        Assert.False(multi!.NeedsModel);
        Assert.Equal(["a", "b"], Assert.IsType<OpenAiMulti>(multi).Graders.Keys);
    }

    [Theory]
    [InlineData("""{"type": "python", "name": "p", "source": "def grade(s, i): return 1"}""", "$.grader.type", "does not run user-supplied code")]
    [InlineData("""{"type": "text_similarity", "name": "s", "input": "x", "reference": "y", "evaluation_metric": "cosine"}""", "$.grader.evaluation_metric", "no embedding model")]
    [InlineData("""{"type": "text_similarity", "name": "s", "input": "x", "reference": "y", "evaluation_metric": "meteor"}""", "$.grader.evaluation_metric", "WordNet")]
    [InlineData("""{"type": "text_similarity", "name": "s", "input": "x", "reference": "y", "evaluation_metric": "jaccard"}""", "$.grader.evaluation_metric", "Unknown evaluation_metric")]
    [InlineData("""{"type": "string_check", "name": "s", "input": "x", "reference": "y", "operation": "contains"}""", "$.grader.operation", "eq, ne, like or ilike")]
    [InlineData("""{"type": "string_check", "name": "s", "input": "x", "reference": "y"}""", "$.grader.operation", "Required member")]
    [InlineData("""{"type": "string_check", "name": "s", "input": "x", "reference": "y", "operation": "eq", "extra": 1}""", "$.grader.extra", "Unknown member")]
    [InlineData("""{"type": "string_check", "name": "s", "input": "{{item.a}", "reference": "y", "operation": "eq"}""", "$.grader.input", "never closed")]
    [InlineData("""{"type": "string_check", "name": "s", "input": "{{sample.answer}}", "reference": "y", "operation": "eq"}""", "$.grader.input", "no variable 'answer'")]
    [InlineData("""{"type": "string_check", "name": 3, "input": "x", "reference": "y", "operation": "eq"}""", "$.grader.name", "is a string")]
    [InlineData("""{"type": "regex", "name": "r"}""", "$.grader.type", "Unknown grader type 'regex'")]
    [InlineData("""[1]""", "$.grader", "JSON object")]
    [InlineData("""{"type": "score_model", "name": "j", "model": "m", "input": [{"role": "user", "content": "x"}], "range": [1, 1]}""", "$.grader.range", "below its highest")]
    [InlineData("""{"type": "score_model", "name": "j", "model": "m", "input": [{"role": "critic", "content": "x"}]}""", "$.grader.input[0].role", "Unknown role")]
    [InlineData("""{"type": "score_model", "name": "j", "model": "m", "input": [{"role": "user", "content": [{"type": "input_image", "image_url": "u"}]}]}""", "$.grader.input[0].content[0].type", "read text only")]
    [InlineData("""{"type": "score_model", "name": "j", "model": "m", "input": []}""", "$.grader.input", "non-empty array")]
    [InlineData("""{"type": "score_model", "name": "j", "model": "m", "input": [{"role": "user", "content": "x"}], "sampling_params": {"temperature": 3}}""", "$.grader.sampling_params.temperature", "between 0 and 2")]
    [InlineData("""{"type": "label_model", "name": "l", "model": "m", "input": [{"role": "user", "content": "x"}], "labels": ["a", "b"], "passing_labels": ["c"]}""", "$.grader.passing_labels[0]", "not one of the labels")]
    [InlineData("""{"type": "score_model", "name": "j", "model": "m", "input": [{"role": "user", "content": "x"}], "range": [1, 7], "pass_threshold": 9}""", "$.grader.pass_threshold", "within the range")]
    [InlineData("""{"type": "label_model", "name": "l", "model": "m", "input": [{"role": "user", "content": "x"}], "labels": ["a", "a"], "passing_labels": ["a"]}""", "$.grader.labels[1]", "appears twice")]
    [InlineData("""{"type": "multi", "name": "m", "calculate_output": "x", "graders": {"x": {"type": "text_similarity", "name": "x", "input": "a", "reference": "b", "evaluation_metric": "cosine"}}}""", "$.grader.graders.x.evaluation_metric", "embedding")]
    [InlineData("""{"type": "multi", "name": "m", "calculate_output": "x + y", "graders": {"x": {"type": "string_check", "name": "x", "input": "a", "reference": "b", "operation": "eq"}}}""", "$.grader.calculate_output", "'y' is not the name of a grader")]
    [InlineData("""{"type": "multi", "name": "m", "calculate_output": "1", "graders": {"my-grader": {"type": "string_check", "name": "x", "input": "a", "reference": "b", "operation": "eq"}}}""", "$.grader.graders.my-grader", "cannot be named in calculate_output")]
    [InlineData("""{"type": "multi", "name": "m", "calculate_output": "1", "graders": {"x": {"type": "multi", "name": "x", "graders": {}, "calculate_output": "1"}}}""", "$.grader.graders.x.type", "cannot contain another multi")]
    [InlineData("""{"type": "multi", "name": "m", "calculate_output": "1", "graders": {}}""", "$.grader.graders", "empty")]
    [InlineData("""{"type": "multi", "name": "m", "calculate_output": "1", "graders": {"x": {"type": "python", "name": "x", "source": ""}}}""", "$.grader.graders.x.type", "'python' graders are refused")]
    public void Parse_InvalidGrader_NamesThePath(string json, string path, string message)
    {
        var (grader, errors) = OpenAiGraderParser.Parse(json, "$.grader");
        Assert.Null(grader);
        var error = Assert.Single(errors, e => e.Path == path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MultiWithTooManyGraders_IsRefused()
    {
        var graders = string.Join(", ", Enumerable.Range(0, 17).Select(i => $$"""
            "g{{i}}": {"type": "string_check", "name": "g{{i}}", "input": "a", "reference": "b", "operation": "eq"}
            """));
        var (grader, errors) = OpenAiGraderParser.Parse("""{"type": "multi", "name": "m", "calculate_output": "g0", "graders": {""" + graders + "}}", "$.grader");
        Assert.Null(grader);
        Assert.Contains(errors, e => e.Path == "$.grader.graders" && e.Message.Contains("at most 16", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_SeveralErrors_ReportsEach()
    {
        var (_, errors) = OpenAiGraderParser.Parse("""{"type": "string_check", "input": 1, "reference": "y", "operation": "is"}""");
        Assert.Equal(["$.name", "$.input", "$.operation"], errors.Select(e => e.Path));
    }

    [Fact]
    public void Parse_ModelGraders_ListTheirModelsWithPaths()
    {
        var (grader, _) = OpenAiGraderParser.Parse("""
            {"type": "multi", "name": "m", "calculate_output": "j * l",
             "graders": {"j": {"type": "score_model", "name": "j", "model": "ckpt-a", "input": [{"role": "user", "content": "x"}]},
                         "l": {"type": "label_model", "name": "l", "model": "ckpt-b", "input": [{"role": "user", "content": "x"}], "labels": ["y", "n"], "passing_labels": ["y"]}}}
            """, "$.grader");
        Assert.True(grader!.NeedsModel);
        Assert.Equal([("$.grader.graders.j.model", "ckpt-a"), ("$.grader.graders.l.model", "ckpt-b")], grader.Models("$.grader"));
    }
}
