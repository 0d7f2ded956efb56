namespace BeneficialRL.Scenarios.Grading;

/// <summary>Scores every rubric criterion with a <see cref="ICriterionScorer"/> and combines them by weight.</summary>
public sealed class RubricGrader(ICriterionScorer scorer, string name = "rubric") : IGrader
{
    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public async Task<GradeResult> GradeAsync(GradingRequest request, CancellationToken cancellationToken)
    {
        if (request.Rubric.Count == 0)
        {
            throw new ArgumentException($"The rubric grader needs a rubric; request '{request.ItemId}' has none.", nameof(request));
        }

        var results = new List<CriterionResult>(request.Rubric.Count);
        foreach (var criterion in request.Rubric)
        {
            results.Add(await scorer.ScoreAsync(criterion, request, cancellationToken).ConfigureAwait(false));
        }

        return new GradeResult(Name, GradeResult.WeightedScore(results), results);
    }
}
