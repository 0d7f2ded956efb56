using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Evals.Definitions;

/// <summary>What the policy sees: an optional system message and the conversation so far, ending with a user turn.</summary>
/// <param name="System">Operator instructions, or null.</param>
/// <param name="Turns">User and assistant turns in order; the last one is the user's.</param>
public sealed record BenchmarkPrompt(string? System, IReadOnlyList<ConversationTurn> Turns)
{
    /// <summary>A single user message.</summary>
    public static BenchmarkPrompt FromUser(string text, string? system = null) => new(system, [new ConversationTurn(TurnRole.User, text)]);

    /// <summary>All the text of the prompt, for contamination checks and hashing.</summary>
    public string AllText => string.Join("\n", (System is null ? [] : new[] { System }).Concat(Turns.Select(t => t.Content)));
}
