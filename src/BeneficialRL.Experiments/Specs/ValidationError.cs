namespace BeneficialRL.Experiments.Specs;

/// <summary>One problem with a spec: the JSON path of the field at fault (e.g. <c>$.arms[1].slices[0].share</c>) and what is wrong.</summary>
/// <param name="Path">JSON path in camelCase.</param>
/// <param name="Message">What is wrong, in a sentence.</param>
public sealed record ValidationError(string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Message}";
}
