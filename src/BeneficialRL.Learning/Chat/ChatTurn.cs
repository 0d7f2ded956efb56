namespace BeneficialRL.Learning.Chat;

/// <summary>One turn of a conversation.</summary>
/// <param name="Role">Speaker.</param>
/// <param name="Content">Plain text of the turn.</param>
public sealed record ChatTurn(ChatRole Role, string Content)
{
    /// <summary>A system turn.</summary>
    public static ChatTurn System(string content) => new(ChatRole.System, content);

    /// <summary>A user turn.</summary>
    public static ChatTurn User(string content) => new(ChatRole.User, content);

    /// <summary>An assistant turn.</summary>
    public static ChatTurn Assistant(string content) => new(ChatRole.Assistant, content);
}
