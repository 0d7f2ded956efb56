using System.Text.Json;
using System.Text.Json.Serialization;
using BeneficialRL.Analysis.SeedLevel;
using BeneficialRL.Analysis.Validation;

namespace BeneficialRL.AppHost.Experiments;

/// <summary>
/// Reads from a <c>report.json</c> what the validation set's pass table needs: the pre-flight checks and the compared arm's
/// seed-level analyses, as the report stage wrote them (the AppHost does not reference the experiments library, so it reads
/// the JSON; the seed-level records are the analysis library's own).
/// </summary>
public static class ValidationReportReader
{
    // The report's shape (ExperimentJson): camelCase, enums as camelCase strings, NaN and infinities as named literals.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The experiment of <paramref name="report"/> in <paramref name="role"/>.</summary>
    /// <exception cref="JsonException">The report has no analysis, or not exactly one arm compared with the baseline.</exception>
    public static ValidationExperiment Read(JsonElement report, ValidationRole role)
    {
        var preset = report.TryGetProperty("definition", out var definition) && definition.TryGetProperty("name", out var name) ? name.GetString() ?? "" : "";
        if (!report.TryGetProperty("analysis", out var analysis) || !analysis.TryGetProperty("comparisons", out var comparisons))
            throw new JsonException($"The report of '{preset}' has no analysis.comparisons.");
        // Every experiment of the set compares one arm with the baseline (treatment, or the A/A's second baseline).
        if (comparisons.GetArrayLength() != 1)
            throw new JsonException($"The report of '{preset}' compares {comparisons.GetArrayLength()} arms with the baseline; the validation set expects one.");
        var comparison = comparisons[0];
        var checks = report.TryGetProperty("preflight", out var preflight) && preflight.ValueKind == JsonValueKind.Object
            ? preflight.GetProperty("checks").Deserialize<List<PreflightOutcome>>(Json) ?? []
            : [];
        var planted = analysis.TryGetProperty("plantedBenchmarks", out var benchmarks) && benchmarks.ValueKind == JsonValueKind.Array ? benchmarks.GetArrayLength() : 0;
        return new ValidationExperiment(
            role,
            preset,
            comparison.GetProperty("arm").GetString() ?? "",
            checks,
            SeedLevel(comparison, "oodSeedLevel"),
            SeedLevel(comparison, "heldOutSeedLevel"),
            planted);
    }

    private static SeedLevelReport? SeedLevel(JsonElement comparison, string member) =>
        comparison.TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.Object ? value.Deserialize<SeedLevelReport>(Json) : null;
}
