using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BeneficialRL.Evals.BuiltIn;

/// <summary>Reads the embedded data files of the built-in suite (JSON under <c>Data/</c>).</summary>
internal static class BenchmarkData
{
    private const string Prefix = "BeneficialRL.Evals.Data.";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>The family files, in name order.</summary>
    public static IReadOnlyList<string> FamilyFiles() =>
        [.. Assembly.GetExecutingAssembly().GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix + "family-", StringComparison.Ordinal))
            .Select(n => n[Prefix.Length..])
            .Order(StringComparer.Ordinal)];

    /// <summary>Deserialises an embedded data file; unknown keys are errors so typos in data files surface.</summary>
    public static T Read<T>(string fileName)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(Prefix + fileName)
            ?? throw new InvalidOperationException($"Embedded data file '{fileName}' is missing from the assembly.");
        try
        {
            return JsonSerializer.Deserialize<T>(stream, Json) ?? throw new InvalidOperationException($"Embedded data file '{fileName}' is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"Embedded data file '{fileName}' is invalid at {ex.Path} (line {ex.LineNumber + 1}): {ex.Message}", ex);
        }
    }
}
