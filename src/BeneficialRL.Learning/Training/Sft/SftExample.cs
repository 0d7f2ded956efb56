using BeneficialRL.Learning.Chat;

namespace BeneficialRL.Learning.Training.Sft;

/// <summary>A conversation and the assistant response to imitate; only the response tokens are trained on.</summary>
/// <param name="Prompt">Turns before the response.</param>
/// <param name="Response">Target assistant text.</param>
public sealed record SftExample(IReadOnlyList<ChatTurn> Prompt, string Response)
{
    /// <summary>A single user turn (with an optional system turn) and its response.</summary>
    public static SftExample FromUser(string user, string response, string? system = null) =>
        new(system is null ? [ChatTurn.User(user)] : [ChatTurn.System(system), ChatTurn.User(user)], response);
}
