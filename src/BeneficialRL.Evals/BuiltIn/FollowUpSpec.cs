namespace BeneficialRL.Evals.BuiltIn;

/// <summary>A multi-turn follow-up: an earlier assistant reply and the user's next message.</summary>
internal sealed record FollowUpSpec(string Assistant, string User);
