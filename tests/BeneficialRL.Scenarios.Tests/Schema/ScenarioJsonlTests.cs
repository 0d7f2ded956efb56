using System.Text.Json;
using System.Text.Json.Nodes;
using BeneficialRL.Scenarios.Generation;
using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Scenarios.Tests.Schema;

public sealed class ScenarioJsonlTests
{
    private static readonly List<Scenario> Valid = [.. new ScenarioGenerator().GenerateTraining(seed: 3, perCell: 1).Take(3)];

    private static string Line(Scenario s) => ScenarioJson.Serialize(s);

    private static string Mutate(Scenario s, Action<JsonObject> change)
    {
        var node = JsonNode.Parse(Line(s))!.AsObject();
        change(node);
        return node.ToJsonString();
    }

    [Fact]
    public void ScenarioJsonl_WriteThenRead_RoundTripsEveryField()
    {
        var writer = new StringWriter();
        ScenarioJsonl.Write(writer, Valid);
        var read = ScenarioJsonl.Read(new StringReader(writer.ToString()));
        Assert.Equal(Valid.Count, read.Count);
        for (var i = 0; i < Valid.Count; i++)
        {
            Assert.Equal(Line(Valid[i]), Line(read[i]));
        }
    }

    [Fact]
    public async Task ScenarioJsonl_WriteAsync_WritesOneLinePerScenario()
    {
        var writer = new StringWriter();
        await ScenarioJsonl.WriteAsync(writer, Valid, TestContext.Current.CancellationToken);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Valid.Select(Line), lines);
    }

    [Fact]
    public void ScenarioJsonl_Serialize_UsesKebabCaseEnumsAndCamelCaseFields()
    {
        var json = Line(Valid[0]);
        Assert.Contains("\"split\":\"train\"", json, StringComparison.Ordinal);
        Assert.Contains("\"polarity\":\"must-do\"", json, StringComparison.Ordinal);
        Assert.Contains("\"generatorVersion\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void ScenarioJsonl_Read_BadJson_NamesLineAndRejectsEverything()
    {
        var text = Line(Valid[0]) + "\n{\"id\": \"broken\", \n" + Line(Valid[1]);
        var ex = Assert.Throws<ScenarioImportException>(() => ScenarioJsonl.Read(new StringReader(text)));
        Assert.Contains(ex.Errors, e => e.Line == 2);
        var (scenarios, errors) = ScenarioJsonl.TryRead(new StringReader(text));
        Assert.Empty(scenarios);
        Assert.NotEmpty(errors);
    }

    [Fact]
    public void ScenarioJsonl_Read_UnknownTrait_NamesLineAndField()
    {
        var text = Line(Valid[0]) + "\n" + Mutate(Valid[1], n => n["trait"] = "charisma");
        var ex = Assert.Throws<ScenarioImportException>(() => ScenarioJsonl.Read(new StringReader(text)));
        var error = Assert.Single(ex.Errors);
        Assert.Equal(2, error.Line);
        Assert.Equal("$.trait", error.Field);
        Assert.Contains("charisma", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 2, $.trait", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScenarioJsonl_Read_MissingRubric_NamesLineAndField()
    {
        var text = Line(Valid[0]) + "\n" + Line(Valid[1]) + "\n" + Mutate(Valid[2], n => n.Remove("rubric"));
        var ex = Assert.Throws<ScenarioImportException>(() => ScenarioJsonl.Read(new StringReader(text)));
        var error = Assert.Single(ex.Errors);
        Assert.Equal(3, error.Line);
        Assert.Equal("$.rubric", error.Field);
    }

    [Fact]
    public void ScenarioJsonl_Read_RubricTooShort_NamesField()
    {
        var text = Mutate(Valid[0], n => n["rubric"] = new JsonArray(n["rubric"]![0]!.DeepClone()));
        var ex = Assert.Throws<ScenarioImportException>(() => ScenarioJsonl.Read(new StringReader(text)));
        Assert.Contains(ex.Errors, e => e.Line == 1 && e.Field == "$.rubric");
    }

    [Fact]
    public void ScenarioJsonl_Read_UnknownFieldAndBadWeight_AreBothReported()
    {
        var text = Mutate(Valid[0], n => n["colour"] = "blue") + "\n" + Mutate(Valid[1], n => n["rubric"]![0]!["weight"] = -1);
        var ex = Assert.Throws<ScenarioImportException>(() => ScenarioJsonl.Read(new StringReader(text)));
        Assert.True(ex.Errors.Any(e => e.Line == 1 && e.Field == "$.colour"), string.Join("; ", ex.Errors));
        Assert.Contains(ex.Errors, e => e.Line == 2 && e.Field == "$.rubric[0].weight");
    }

    [Fact]
    public void ScenarioJsonl_Read_DuplicateIdAndTooFewFailures_AreReported()
    {
        var fewFailures = Mutate(Valid[1], n => n["references"] = new JsonArray(n["references"]![0]!.DeepClone(), n["references"]![1]!.DeepClone()));
        var text = Line(Valid[0]) + "\n" + Line(Valid[0]) + "\n" + fewFailures;
        var ex = Assert.Throws<ScenarioImportException>(() => ScenarioJsonl.Read(new StringReader(text)));
        Assert.Contains(ex.Errors, e => e.Line == 2 && e.Field == "$.id" && e.Message.Contains("first used on line 1", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Line == 3 && e.Field == "$.references");
    }

    [Fact]
    public void ScenarioJsonl_Read_LabelForUnknownCriterion_NamesField()
    {
        var text = Mutate(Valid[0], n => n["references"]![0]!["labels"]!["made-up"] = true);
        var ex = Assert.Throws<ScenarioImportException>(() => ScenarioJsonl.Read(new StringReader(text)));
        Assert.Contains(ex.Errors, e => e.Field == "$.references[0].labels.made-up");
    }

    [Fact]
    public void ScenarioJsonl_Read_EmptyFile_IsRejected()
    {
        Assert.Throws<ScenarioImportException>(() => ScenarioJsonl.Read(new StringReader("\n\n")));
    }

    [Fact]
    public void ScenarioSchema_Json_IsValidAndListsTaxonomyValues()
    {
        using var schema = JsonDocument.Parse(ScenarioSchema.Json);
        var properties = schema.RootElement.GetProperty("properties");
        var traits = properties.GetProperty("trait").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ToList();
        var domains = properties.GetProperty("domain").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ToList();
        var pressures = properties.GetProperty("pressure").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ToList();
        var taxonomy = BeneficialRL.Scenarios.Taxonomy.ScenarioTaxonomy.Default;
        Assert.Equal(taxonomy.Traits.Select(t => t.Id), traits);
        Assert.Equal(taxonomy.Domains.Select(d => d.Id), domains);
        Assert.Equal(taxonomy.Pressures.Select(p => p.Id), pressures);
        var required = schema.RootElement.GetProperty("required").EnumerateArray().Select(e => e.GetString()).ToList();
        var serialized = JsonNode.Parse(Line(Valid[0]))!.AsObject().Select(kv => kv.Key).ToList();
        Assert.Equal(string.Join(",", required.Order(StringComparer.Ordinal)), string.Join(",", serialized.Order(StringComparer.Ordinal)));
    }
}
