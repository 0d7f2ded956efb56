using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Scenarios.Contamination;

/// <summary>A text compared by the contamination check: a scenario's user turns, a benchmark item's prompt ...</summary>
/// <param name="Id">Item id, reported with findings.</param>
/// <param name="Text">The text compared.</param>
public sealed record ContaminationItem(string Id, string Text)
{
    /// <summary>Scenarios as items (their user turns: the part a policy could memorise from training prompts).</summary>
    public static IEnumerable<ContaminationItem> FromScenarios(IEnumerable<Scenario> scenarios) =>
        scenarios.Select(s => new ContaminationItem(s.Id, s.UserText));
}
