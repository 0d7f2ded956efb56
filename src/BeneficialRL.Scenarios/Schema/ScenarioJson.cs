using System.Text.Json;
using System.Text.Json.Serialization;

namespace BeneficialRL.Scenarios.Schema;

/// <summary>The JSON conventions of scenario files: camelCase fields, kebab-case enum values, strict shape.</summary>
public static class ScenarioJson
{
    /// <summary>
    /// Options used for every scenario read and write: unknown fields, missing required fields and
    /// nulls in non-nullable fields are errors, so a malformed upload fails loudly instead of half-loading.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };

    /// <summary>One scenario as a single JSONL line.</summary>
    public static string Serialize(Scenario scenario) => JsonSerializer.Serialize(scenario, Options);
}
