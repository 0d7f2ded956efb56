namespace BeneficialRL.Learning.Chat;

/// <summary>Who speaks a turn.</summary>
public enum ChatRole
{
    /// <summary>Instructions that frame the conversation.</summary>
    System,

    /// <summary>The human side.</summary>
    User,

    /// <summary>The policy.</summary>
    Assistant,
}
