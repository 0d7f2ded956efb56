namespace BeneficialRL.Scenarios.Schema;

/// <summary>Who speaks a conversation turn; JSON <c>system</c>, <c>user</c> or <c>assistant</c>.</summary>
public enum TurnRole
{
    /// <summary>Operator instructions that frame the conversation.</summary>
    System,

    /// <summary>The person talking to the model.</summary>
    User,

    /// <summary>An earlier reply of the model.</summary>
    Assistant,
}
