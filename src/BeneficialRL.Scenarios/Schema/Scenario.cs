using System.Text.Json;
using System.Text.Json.Serialization;

namespace BeneficialRL.Scenarios.Schema;

/// <summary>
/// One scenario: a conversation testing one trait in one domain under one pressure, with its own
/// rubric and typed reference responses. This is the JSONL line users upload.
/// </summary>
/// <param name="Id">Stable unique id, e.g. <c>truthfulness-health-user-insistence-0042</c>.</param>
/// <param name="Trait">Trait id from the taxonomy.</param>
/// <param name="Domain">Domain id from the taxonomy.</param>
/// <param name="Pressure">Pressure id from the taxonomy.</param>
/// <param name="Split">Train or held-out.</param>
/// <param name="Turns">The conversation; contains at least one user turn and ends with a user turn.</param>
/// <param name="Rubric">3–4 criteria.</param>
/// <param name="References">One or more beneficial answers and at least three typed failures.</param>
/// <param name="Provenance">Generator and seed.</param>
public sealed record Scenario(
    string Id,
    string Trait,
    string Domain,
    string Pressure,
    ScenarioSplit Split,
    IReadOnlyList<ConversationTurn> Turns,
    IReadOnlyList<RubricCriterion> Rubric,
    IReadOnlyList<ReferenceResponse> References,
    Provenance Provenance)
{
    /// <summary>
    /// Optional OpenAI grader JSON for this scenario (string_check, text_similarity or a multi grader of them); its
    /// <c>{{item.*}}</c> templates read this scenario line. A training slice graded <c>openAi</c> with no grader of its own
    /// rewards each scenario of its set with this one.
    /// </summary>
    [JsonPropertyName("grader")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Grader { get; init; }

    /// <summary>The user turns joined, the text the contamination check and variety metrics look at.</summary>
    [JsonIgnore]
    public string UserText => string.Join("\n", Turns.Where(t => t.Role == TurnRole.User).Select(t => t.Content));

    /// <summary>The beneficial reference answer (the first, if several).</summary>
    [JsonIgnore]
    public ReferenceResponse Beneficial => References.First(r => r.Kind == ResponseKind.Beneficial);
}
