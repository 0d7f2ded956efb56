namespace BeneficialRL.Durability.Running;

/// <summary>One problem with a persistence spec: the JSON path of the field at fault (e.g. <c>$.fineTuning.doses[2]</c>) and what is wrong.</summary>
/// <param name="Path">JSON path in camelCase.</param>
/// <param name="Message">What is wrong, in a sentence.</param>
public sealed record PersistenceValidationError(string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Message}";
}
