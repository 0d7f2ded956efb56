using System.Text.Json;
using System.Text.Json.Nodes;

namespace BeneficialRL.Evals.Importers;

/// <summary>Shared helpers of the importers: JSONL reading with line numbers, field access.</summary>
internal static class ImportFiles
{
    public static string Text(byte[] bytes)
    {
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
    }

    /// <summary>Parses every non-blank line as a JSON object; a malformed line is an error naming it.</summary>
    public static List<(int Line, JsonObject Json)> JsonLines(string text, string fileName)
    {
        var lines = new List<(int, JsonObject)>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            try
            {
                lines.Add((number, JsonNode.Parse(line) as JsonObject ?? throw new BenchmarkImportException(fileName, number, "(line)", "the line is not a JSON object.")));
            }
            catch (JsonException ex)
            {
                throw new BenchmarkImportException(fileName, number, "(line)", $"malformed JSON: {ex.Message}", ex);
            }
        }

        if (lines.Count == 0)
        {
            throw new BenchmarkImportException(fileName, 1, "(file)", "the file has no records.");
        }

        return lines;
    }

    /// <summary>A required string field (dotted paths reach into nested objects).</summary>
    public static string RequiredString(JsonObject json, string field, string fileName, int line)
    {
        var node = Select(json, field);
        if (node is JsonValue value && value.TryGetValue<string>(out var text))
        {
            return text;
        }

        if (node is JsonValue number && number.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
        {
            return number.ToJsonString();
        }

        throw new BenchmarkImportException(fileName, line, field, node is null ? "the field is missing." : $"expected a string, found {node.GetValueKind()}.");
    }

    /// <summary>A JSON list of strings; a non-string entry is an error naming it (<c>field[i]</c>).</summary>
    public static List<string> Strings(JsonArray array, string field, string fileName, int line) =>
        [.. array.Select((n, i) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new BenchmarkImportException(fileName, line, $"{field}[{i}]", "expected a string."))];

    public static JsonNode? Select(JsonObject json, string path)
    {
        JsonNode? node = json;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(part, out var next) ? next : null;
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }
}
