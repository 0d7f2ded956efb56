using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Scenarios.Grading;

/// <summary>Scores one rubric criterion on one response; <see cref="RubricGrader"/> combines the results by weight.</summary>
public interface ICriterionScorer
{
    /// <summary>Scores <paramref name="criterion"/> for <paramref name="request"/>.</summary>
    ValueTask<CriterionResult> ScoreAsync(RubricCriterion criterion, GradingRequest request, CancellationToken cancellationToken);
}
