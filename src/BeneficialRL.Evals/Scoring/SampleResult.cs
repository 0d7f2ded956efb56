using BeneficialRL.Evals.Refusals;

namespace BeneficialRL.Evals.Scoring;

/// <summary>One generated response with its grade and refusal label.</summary>
/// <param name="Variant"><c>main</c>, or <c>swapped</c> for the identity-swapped prompt.</param>
/// <param name="Text">The response.</param>
/// <param name="Grade">Grader score in [0, 1] after any refusal penalty.</param>
/// <param name="Refusal">Refusal classification of the response.</param>
/// <param name="Grader">The grader's name.</param>
public sealed record SampleResult(string Variant, string Text, double Grade, RefusalLabel Refusal, string Grader);
