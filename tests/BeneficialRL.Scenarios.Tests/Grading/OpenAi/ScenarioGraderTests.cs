using System.Text.Json;
using System.Text.Json.Nodes;
using BeneficialRL.Scenarios.Generation;
using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Scenarios.Tests.Grading.OpenAi;

/// <summary>Scenario-set lines that carry their own OpenAI grader.</summary>
public sealed class ScenarioGraderTests
{
    private static readonly List<Scenario> Generated = [.. new ScenarioGenerator().GenerateTraining(seed: 3, perCell: 1).Take(2)];
    private static readonly Scenario Sample = Generated[0];

    private static string WithGrader(string grader)
    {
        var node = JsonNode.Parse(ScenarioJson.Serialize(Sample))!.AsObject();
        node["grader"] = JsonNode.Parse(grader);
        return node.ToJsonString();
    }

    [Fact]
    public void Read_LineWithAGrader_KeepsItAndWritesItBack()
    {
        var line = WithGrader("""{"type": "text_similarity", "name": "ref", "input": "{{sample.output_text}}", "reference": "{{item.references[0].text}}", "evaluation_metric": "rouge_l"}""");

        var scenario = Assert.Single(ScenarioJsonl.Read(new StringReader(line)));

        Assert.Equal("rouge_l", scenario.Grader!.Value.GetProperty("evaluation_metric").GetString());
        Assert.Contains("\"grader\":{", ScenarioJson.Serialize(scenario), StringComparison.Ordinal);
        Assert.DoesNotContain("grader", ScenarioJson.Serialize(Sample), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type": "text_similarity", "name": "s", "input": "{{sample.output_text}}", "reference": "{{item.answer}}", "evaluation_metric": "bleu"}""", "$.grader.reference", "does not have it")]
    [InlineData("""{"type": "text_similarity", "name": "s", "input": "{{sample.output_text}}", "reference": "x", "evaluation_metric": "cosine"}""", "$.grader.evaluation_metric", "embedding")]
    [InlineData("""{"type": "score_model", "name": "j", "model": "m", "input": [{"role": "user", "content": "{{sample.output_text}}"}]}""", "$.grader.model", "cannot reward training")]
    [InlineData("""{"type": "python", "name": "p", "source": ""}""", "$.grader.type", "user-supplied code")]
    public void Read_LineWithABadGrader_NamesLineAndPath(string grader, string path, string message)
    {
        var (scenarios, errors) = ScenarioJsonl.TryRead(new StringReader(ScenarioJson.Serialize(Generated[1]) + "\n" + WithGrader(grader)));

        Assert.Empty(scenarios);
        var error = Assert.Single(errors);
        Assert.Equal((2, path), (error.Line, error.Field));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_DescribesTheGraderMember()
    {
        using var schema = JsonDocument.Parse(ScenarioSchema.Json);
        Assert.Equal("object", schema.RootElement.GetProperty("properties").GetProperty("grader").GetProperty("type").GetString());
    }
}
