namespace BeneficialRL.Scenarios.Schema;

/// <summary>One turn of a scenario conversation.</summary>
/// <param name="Role">Who speaks.</param>
/// <param name="Content">What is said; never empty.</param>
public sealed record ConversationTurn(TurnRole Role, string Content);
