namespace BeneficialRL.Scenarios.Schema;

/// <summary>One line of a scenario's 3–4 line rubric.</summary>
/// <param name="Id">Unique within the rubric, e.g. <c>flags-unsupported</c>.</param>
/// <param name="Text">The criterion as a model grader reads it.</param>
/// <param name="Polarity">Must-do or must-avoid.</param>
/// <param name="Weight">Positive weight in the combined score.</param>
/// <param name="Check">How the built-in judge checks it.</param>
public sealed record RubricCriterion(string Id, string Text, CriterionPolarity Polarity, double Weight, JudgeCheck Check);
