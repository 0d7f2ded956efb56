using BeneficialRL.Scenarios.Text;

namespace BeneficialRL.Scenarios.Schema;

/// <summary>The published JSON Schema (draft 2020-12) of one scenario JSONL line, served by the API.</summary>
public static class ScenarioSchema
{
    private static readonly Lazy<string> LazyJson = new(() => EmbeddedData.ReadText("Schema/scenario.schema.json"));

    /// <summary>The schema document as JSON text.</summary>
    public static string Json => LazyJson.Value;
}
