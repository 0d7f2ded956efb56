using System.Text.Json;
using System.Text.Json.Serialization;
using BeneficialRL.Primitives.Hashing;

namespace BeneficialRL.Experiments.Specs;

/// <summary>The one JSON shape of experiment specs and stage records: camelCase, enums as camelCase strings.</summary>
public static class ExperimentJson
{
    /// <summary>Serializer options for every experiment record.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Indented variant for files people read.</summary>
    public static JsonSerializerOptions Indented { get; } = new(Options) { WriteIndented = true };

    /// <summary>Serialises a definition.</summary>
    public static string Serialize(ExperimentDefinition definition) => JsonSerializer.Serialize(definition, Options);

    /// <summary>Parses a definition; throws <see cref="JsonException"/> naming the path on malformed input.</summary>
    public static ExperimentDefinition Deserialize(string json) =>
        JsonSerializer.Deserialize<ExperimentDefinition>(json, Options) ?? throw new JsonException("The experiment definition is null.");

    /// <summary>SHA-256 (hex) of a value's canonical JSON: the content address of specs.</summary>
    public static string Hash<T>(T value)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, Options);
        return Sha256Hex.Of(bytes);
    }

    /// <summary>SHA-256 (hex) of raw bytes; kept for the stages that call it by this name (<see cref="Sha256Hex"/>).</summary>
    public static string Hash(byte[] bytes) => Sha256Hex.Of(bytes);
}
