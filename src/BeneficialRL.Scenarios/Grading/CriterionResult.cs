namespace BeneficialRL.Scenarios.Grading;

/// <summary>One criterion's verdict.</summary>
/// <param name="Id">Criterion id (or a check name for non-rubric graders).</param>
/// <param name="Passed">Whether the criterion is met (for must-avoid: the behaviour was avoided).</param>
/// <param name="Score">Score in [0, 1] for this criterion.</param>
/// <param name="Weight">Weight used when combining.</param>
/// <param name="Explanation">Why: what was found or missing.</param>
public sealed record CriterionResult(string Id, bool Passed, double Score, double Weight, string Explanation);
