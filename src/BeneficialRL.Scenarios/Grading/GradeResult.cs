namespace BeneficialRL.Scenarios.Grading;

/// <summary>A grader's verdict: a score in [0, 1] and the per-criterion detail behind it.</summary>
/// <param name="Grader">Which grader produced it.</param>
/// <param name="Score">Combined score in [0, 1].</param>
/// <param name="Criteria">Per-criterion results.</param>
public sealed record GradeResult(string Grader, double Score, IReadOnlyList<CriterionResult> Criteria)
{
    /// <summary>Whole-response findings that changed the score (e.g. <c>repetitive</c>, <c>keyword-stuffed</c>).</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];

    /// <summary>Combines criteria by weight: Σ weight·score / Σ weight (0 when there are none).</summary>
    public static double WeightedScore(IReadOnlyList<CriterionResult> criteria)
    {
        var total = criteria.Sum(c => c.Weight);
        return total <= 0 ? 0 : Math.Clamp(criteria.Sum(c => c.Weight * c.Score) / total, 0, 1);
    }
}
