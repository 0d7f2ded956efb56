using BeneficialRL.Evals.Definitions;
using BeneficialRL.Learning.Chat;
using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Experiments.Stages;

/// <summary>Maps scenario and benchmark conversations onto the learning engine's chat turns.</summary>
internal static class ChatConversion
{
    public static IReadOnlyList<ChatTurn> ToChat(IEnumerable<ConversationTurn> turns) =>
        [.. turns.Select(t => new ChatTurn(t.Role switch { TurnRole.System => ChatRole.System, TurnRole.Assistant => ChatRole.Assistant, _ => ChatRole.User }, t.Content))];

    public static IReadOnlyList<ChatTurn> ToChat(BenchmarkPrompt prompt) =>
        [.. (prompt.System is null ? [] : new[] { ChatTurn.System(prompt.System) }), .. ToChat(prompt.Turns)];
}
