namespace BeneficialRL.Scenarios.Schema;

/// <summary>One problem found while importing or validating scenarios.</summary>
/// <param name="Line">1-based JSONL line number, or 0 when validating a single in-memory scenario.</param>
/// <param name="Field">JSON path of the offending field, e.g. <c>$.rubric[2].weight</c>.</param>
/// <param name="Message">What is wrong and what is expected.</param>
public sealed record ScenarioValidationError(int Line, string Field, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"line {Line}, {Field}: {Message}" : $"{Field}: {Message}";
}
