namespace BeneficialRL.Scenarios.StandardTasks;

/// <summary>A verifiable task: a prompt and what the programmatic grader checks.</summary>
/// <param name="Id">Stable id, e.g. <c>arithmetic-0042</c>.</param>
/// <param name="Family">Task family.</param>
/// <param name="Prompt">What the policy is asked.</param>
/// <param name="ExpectedAnswer">The exact answer (arithmetic, extraction); null for format tasks.</param>
/// <param name="Constraints">Format constraints (format tasks); empty otherwise.</param>
/// <param name="Seed">Generation seed.</param>
public sealed record StandardTask(string Id, StandardTaskFamily Family, string Prompt, string? ExpectedAnswer, IReadOnlyList<FormatConstraint> Constraints, long Seed);
