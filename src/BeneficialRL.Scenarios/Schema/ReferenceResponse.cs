namespace BeneficialRL.Scenarios.Schema;

/// <summary>A reference answer with the verdict it should get on each rubric criterion.</summary>
/// <param name="Kind">The behaviour it exemplifies.</param>
/// <param name="Text">The answer.</param>
/// <param name="Labels">Criterion id → whether this answer meets the criterion (for must-avoid: true = avoided).</param>
public sealed record ReferenceResponse(ResponseKind Kind, string Text, IReadOnlyDictionary<string, bool> Labels);
