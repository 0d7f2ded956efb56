namespace BeneficialRL.Scenarios.StandardTasks;

/// <summary>One constraint of a format-following task.</summary>
/// <param name="Kind">What is checked.</param>
/// <param name="Number">The count or limit, where the kind needs one.</param>
/// <param name="Text">The word or phrase, where the kind needs one.</param>
public sealed record FormatConstraint(FormatConstraintKind Kind, int? Number = null, string? Text = null);
