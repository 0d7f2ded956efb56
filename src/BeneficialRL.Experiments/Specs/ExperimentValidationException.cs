namespace BeneficialRL.Experiments.Specs;

/// <summary>Thrown when a stage is handed a definition that does not validate; carries every error.</summary>
public sealed class ExperimentValidationException : Exception
{
    /// <summary>Wraps <paramref name="errors"/>.</summary>
    public ExperimentValidationException(IReadOnlyList<ValidationError> errors)
        : base("The experiment definition is invalid: " + string.Join("; ", errors))
    {
        Errors = errors;
    }

    /// <summary>The errors, each with its JSON path.</summary>
    public IReadOnlyList<ValidationError> Errors { get; }
}
