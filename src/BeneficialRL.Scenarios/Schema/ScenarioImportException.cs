namespace BeneficialRL.Scenarios.Schema;

/// <summary>Thrown when a JSONL import has any error; nothing from that import is kept.</summary>
public sealed class ScenarioImportException : Exception
{
    /// <summary>Creates the exception from the errors found (at least one).</summary>
    public ScenarioImportException(IReadOnlyList<ScenarioValidationError> errors)
        : base(BuildMessage(errors)) => Errors = errors;

    /// <summary>Every error, each naming its line and field.</summary>
    public IReadOnlyList<ScenarioValidationError> Errors { get; }

    private static string BuildMessage(IReadOnlyList<ScenarioValidationError> errors)
    {
        var shown = string.Join("; ", errors.Take(5));
        var more = errors.Count > 5 ? $" (and {errors.Count - 5} more)" : string.Empty;
        return $"Scenario import rejected with {errors.Count} error(s): {shown}{more}";
    }
}
