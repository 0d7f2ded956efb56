namespace BeneficialRL.Scenarios.Schema;

/// <summary>
/// How the built-in judge checks one criterion on free text: each concept is a set of alternative
/// phrasings; the criterion's behaviour is present when at least <see cref="MinConcepts"/> concepts
/// appear (un-negated, inside well-formed sentences).
/// </summary>
/// <param name="Concepts">Concepts, each a non-empty list of alternative phrasings (matched case-insensitively on word boundaries).</param>
/// <param name="MinConcepts">How many distinct concepts must appear for the behaviour to count as present.</param>
/// <param name="RequiresNumber">When true the behaviour also needs a number in the answer (a quantified statement).</param>
public sealed record JudgeCheck(IReadOnlyList<IReadOnlyList<string>> Concepts, int MinConcepts = 1, bool RequiresNumber = false);
