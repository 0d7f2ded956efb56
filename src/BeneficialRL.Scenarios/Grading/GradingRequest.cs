using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Scenarios.Grading;

/// <summary>What a grader grades: a response, and whatever context the grader needs.</summary>
/// <param name="Response">The free-text answer being graded.</param>
public sealed record GradingRequest(string Response)
{
    /// <summary>The conversation the response replies to.</summary>
    public IReadOnlyList<ConversationTurn> Conversation { get; init; } = [];

    /// <summary>The rubric (rubric, model and built-in judge graders).</summary>
    public IReadOnlyList<RubricCriterion> Rubric { get; init; } = [];

    /// <summary>A reference answer (similarity and string graders fall back to it).</summary>
    public string? Reference { get; init; }

    /// <summary>An id for logs and reports, e.g. the scenario id.</summary>
    public string? ItemId { get; init; }

    /// <summary>A request for grading <paramref name="response"/> against a scenario's conversation, rubric and beneficial reference.</summary>
    public static GradingRequest ForScenario(Scenario scenario, string response) => new(response)
    {
        Conversation = scenario.Turns,
        Rubric = scenario.Rubric,
        Reference = scenario.References.FirstOrDefault(r => r.Kind == ResponseKind.Beneficial)?.Text,
        ItemId = scenario.Id,
    };
}
