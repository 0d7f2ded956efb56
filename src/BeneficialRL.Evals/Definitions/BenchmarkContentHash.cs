using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using BeneficialRL.Primitives.Hashing;

namespace BeneficialRL.Evals.Definitions;

/// <summary>Canonical JSONL of a benchmark's items and its SHA-256, so results can be tied to exact content.</summary>
public static class BenchmarkContentHash
{
    /// <summary>The serialiser options of the canonical form (camelCase, no indentation, enums as their JSON names).</summary>
    public static JsonSerializerOptions CanonicalOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>The canonical JSONL (one item per line, <c>\n</c> line ends).</summary>
    public static string ToCanonicalJsonl(IEnumerable<BenchmarkItem> items)
    {
        var builder = new StringBuilder();
        foreach (var item in items)
        {
            var ordered = item with { Metadata = new SortedDictionary<string, string>(item.Metadata.ToDictionary(), StringComparer.Ordinal) };
            builder.Append(JsonSerializer.Serialize(ordered, CanonicalOptions)).Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>Lower-case hex SHA-256 of the canonical JSONL.</summary>
    public static string Compute(IEnumerable<BenchmarkItem> items) =>
        Sha256Hex.Of(ToCanonicalJsonl(items));
}
