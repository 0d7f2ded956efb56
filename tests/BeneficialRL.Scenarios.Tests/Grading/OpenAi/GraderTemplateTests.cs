using System.Text.Json;
using BeneficialRL.Scenarios.Grading.OpenAi;

namespace BeneficialRL.Scenarios.Tests.Grading.OpenAi;

public sealed class GraderTemplateTests
{
    private static readonly JsonElement Item = JsonDocument.Parse("""{"answer": "Paris", "meta": {"tags": ["geo", "capital"], "n": 3}, "ok": true}""").RootElement;

    [Theory]
    [InlineData("{{item.answer}}", "Paris")]
    [InlineData("A: {{ item.answer }}!", "A: Paris!")]
    [InlineData("{{item.meta.tags[1]}}", "capital")]
    [InlineData("{{item.meta.tags.0}}", "geo")]
    [InlineData("{{item.meta.n}} {{item.ok}}", "3 true")]
    [InlineData("{{item.meta.tags}}", "[\"geo\", \"capital\"]")]
    [InlineData("{{sample.output_text}}", "{\"city\": \"Lyon\", \"n\": [1, 2]}")]
    [InlineData("{{sample.output_json.city}}-{{sample.output_json.n[1]}}", "Lyon-2")]
    [InlineData("no templates", "no templates")]
    public void Render_KnownVariables_AreSubstituted(string template, string expected)
    {
        var rendering = GraderTemplate.Render(template, new GraderContext(Item, "{\"city\": \"Lyon\", \"n\": [1, 2]}"));
        Assert.Null(rendering.Failure);
        Assert.Equal(expected, rendering.Text);
    }

    [Theory]
    [InlineData("{{item.missing}}", TemplateFailure.InvalidVariable)]
    [InlineData("{{item.meta.tags[5]}}", TemplateFailure.InvalidVariable)]
    [InlineData("{{sample.output_text.x}}", TemplateFailure.InvalidVariable)]
    [InlineData("{{sample.output_json.city}}", TemplateFailure.SampleParse)]
    public void Render_MissingVariable_FailsWithOpenAisCategory(string template, TemplateFailure expected)
    {
        var rendering = GraderTemplate.Render(template, new GraderContext(Item, "not json"));
        Assert.Null(rendering.Text);
        Assert.Equal(expected, rendering.Failure);
    }

    [Fact]
    public void Render_NoItem_ItemReferenceIsAnInvalidVariable() =>
        Assert.Equal(TemplateFailure.InvalidVariable, GraderTemplate.Render("{{item.answer}}", new GraderContext(null, "x")).Failure);

    [Theory]
    [InlineData("{{input.answer}}", "namespace 'input' does not exist")]
    [InlineData("{{sample.output}}", "no variable 'output'")]
    [InlineData("{{item}}", "needs a namespace and a variable")]
    [InlineData("{{item.answer", "never closed")]
    [InlineData("{{item.a b}}", "character ' '")]
    [InlineData("{{}}", "empty")]
    public void Parse_UnknownReference_IsAnError(string template, string expected) =>
        Assert.Contains(expected, GraderTemplate.Parse(template).Error, StringComparison.Ordinal);
}
