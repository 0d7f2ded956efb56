using System.Text.Json;
using System.Text.Json.Serialization;

namespace BeneficialRL.Durability.Running;

/// <summary>The one JSON shape of persistence specs and results: camelCase, enums as strings, ±∞ and NaN allowed (half-lives beyond the ladder are +∞).</summary>
public static class PersistenceJson
{
    /// <summary>Serializer options for every persistence record.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Indented variant for files people read.</summary>
    public static JsonSerializerOptions Indented { get; } = new(Options) { WriteIndented = true };

    /// <summary>Serialises a spec.</summary>
    public static string Serialize(PersistenceSpec spec) => JsonSerializer.Serialize(spec, Options);

    /// <summary>Parses a spec; throws <see cref="JsonException"/> naming the path on malformed input.</summary>
    public static PersistenceSpec DeserializeSpec(string json) =>
        JsonSerializer.Deserialize<PersistenceSpec>(json, Options) ?? throw new JsonException("The persistence spec is null.");

    /// <summary>Serialises a result.</summary>
    public static string Serialize(PersistenceResult result, bool indented = false) => JsonSerializer.Serialize(result, indented ? Indented : Options);

    /// <summary>Parses a result.</summary>
    public static PersistenceResult DeserializeResult(string json) =>
        JsonSerializer.Deserialize<PersistenceResult>(json, Options) ?? throw new JsonException("The persistence result is null.");
}
