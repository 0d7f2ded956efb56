using System.Text.Json;
using System.Text.RegularExpressions;
using BeneficialRL.Scenarios.Taxonomy;

namespace BeneficialRL.Scenarios.Schema;

/// <summary>
/// JSONL import and export of scenarios: one scenario per line. Import is all-or-nothing: every line
/// is checked, every error names its line and field, and a single error rejects the whole file.
/// </summary>
public static partial class ScenarioJsonl
{
    /// <summary>Reads and validates every line; throws <see cref="ScenarioImportException"/> listing all errors if any.</summary>
    public static IReadOnlyList<Scenario> Read(TextReader reader, ScenarioTaxonomy? taxonomy = null)
    {
        var (scenarios, errors) = TryRead(reader, taxonomy);
        return errors.Count > 0 ? throw new ScenarioImportException(errors) : scenarios;
    }

    /// <summary>Reads every line; returns either the scenarios (no errors) or the errors (and no scenarios).</summary>
    public static (IReadOnlyList<Scenario> Scenarios, IReadOnlyList<ScenarioValidationError> Errors) TryRead(TextReader reader, ScenarioTaxonomy? taxonomy = null)
    {
        taxonomy ??= ScenarioTaxonomy.Default;
        var scenarios = new List<Scenario>();
        var errors = new List<ScenarioValidationError>();
        var firstLineOfId = new Dictionary<string, int>(StringComparer.Ordinal);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var scenario = ParseLine(line, lineNumber, errors);
            if (scenario is null)
            {
                continue;
            }

            var lineErrors = ScenarioValidator.Validate(scenario, taxonomy, lineNumber);
            errors.AddRange(lineErrors);
            if (firstLineOfId.TryGetValue(scenario.Id, out var first))
            {
                errors.Add(new ScenarioValidationError(lineNumber, "$.id", $"duplicate id '{scenario.Id}', first used on line {first}."));
            }
            else
            {
                firstLineOfId[scenario.Id] = lineNumber;
            }

            if (lineErrors.Count == 0)
            {
                scenarios.Add(scenario);
            }
        }

        if (lineNumber == 0 || (errors.Count == 0 && scenarios.Count == 0))
        {
            errors.Add(new ScenarioValidationError(1, "$", "the file holds no scenarios."));
        }

        return errors.Count > 0 ? ([], errors) : (scenarios, errors);
    }

    /// <summary>Writes one scenario per line.</summary>
    public static void Write(TextWriter writer, IEnumerable<Scenario> scenarios)
    {
        foreach (var scenario in scenarios)
        {
            writer.Write(ScenarioJson.Serialize(scenario));
            writer.Write('\n');
        }
    }

    /// <summary>Writes one scenario per line, asynchronously (for large sets streamed to blob storage).</summary>
    public static async Task WriteAsync(TextWriter writer, IEnumerable<Scenario> scenarios, CancellationToken cancellationToken)
    {
        foreach (var scenario in scenarios)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await writer.WriteAsync(ScenarioJson.Serialize(scenario).AsMemory(), cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync("\n".AsMemory(), cancellationToken).ConfigureAwait(false);
        }
    }

    private static Scenario? ParseLine(string line, int lineNumber, List<ScenarioValidationError> errors)
    {
        try
        {
            var scenario = JsonSerializer.Deserialize<Scenario>(line, ScenarioJson.Options);
            if (scenario is null)
            {
                errors.Add(new ScenarioValidationError(lineNumber, "$", "expected a JSON object, found null."));
            }

            return scenario;
        }
        catch (JsonException ex)
        {
            errors.Add(new ScenarioValidationError(lineNumber, FieldOf(ex), Describe(ex)));
            return null;
        }
    }

    private static string FieldOf(JsonException ex)
    {
        var missing = MissingProperty().Match(ex.Message);
        if (missing.Success)
        {
            var parent = string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path;
            return $"{parent}.{missing.Groups[1].Value}";
        }

        var unmapped = UnmappedProperty().Match(ex.Message);
        if (unmapped.Success)
        {
            // The serializer's path already ends at the unknown property for nested objects and at the root.
            var name = unmapped.Groups[1].Value;
            var path = string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path;
            return path.EndsWith("." + name, StringComparison.Ordinal) || path.EndsWith($"['{name}']", StringComparison.Ordinal) ? path : $"{path}.{name}";
        }

        return string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path;
    }

    private static string Describe(JsonException ex)
    {
        if (MissingProperty().IsMatch(ex.Message))
        {
            return "required field is missing.";
        }

        if (UnmappedProperty().IsMatch(ex.Message))
        {
            return "unknown field; check the spelling against the scenario JSON Schema.";
        }

        // The serializer's message names the type and position; strip the trailing location noise for readability.
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return ex.BytePositionInLine is { } column && cut > 0
            ? $"{message[..cut]} (column {column + 1})"
            : message;
    }

    [GeneratedRegex("missing required properties including: '([^']+)'")]
    private static partial Regex MissingProperty();

    [GeneratedRegex("The JSON property '([^']+)' could not be mapped")]
    private static partial Regex UnmappedProperty();
}
