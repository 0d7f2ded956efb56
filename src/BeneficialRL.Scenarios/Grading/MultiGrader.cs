namespace BeneficialRL.Scenarios.Grading;

/// <summary>
/// A weighted formula over other graders: score = Σ wᵢ·scoreᵢ / Σ wᵢ. Criterion detail is kept,
/// each id prefixed with its grader's name.
/// </summary>
public sealed class MultiGrader : IGrader
{
    private readonly IReadOnlyList<(IGrader Grader, double Weight)> _parts;

    /// <summary>Creates the formula; weights must be positive.</summary>
    public MultiGrader(IReadOnlyList<(IGrader Grader, double Weight)> parts)
    {
        if (parts.Count == 0)
        {
            throw new ArgumentException("A multi-grader needs at least one grader.", nameof(parts));
        }

        foreach (var (grader, weight) in parts)
        {
            if (!double.IsFinite(weight) || weight <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(parts), weight, $"Weight of grader '{grader.Name}' must be positive.");
            }
        }

        _parts = parts;
    }

    /// <inheritdoc />
    public string Name => "multi(" + string.Join("+", _parts.Select(p => $"{p.Weight:0.##}*{p.Grader.Name}")) + ")";

    /// <inheritdoc />
    public async Task<GradeResult> GradeAsync(GradingRequest request, CancellationToken cancellationToken)
    {
        var criteria = new List<CriterionResult>();
        var flags = new List<string>();
        double weighted = 0, total = 0;
        foreach (var (grader, weight) in _parts)
        {
            var result = await grader.GradeAsync(request, cancellationToken).ConfigureAwait(false);
            weighted += weight * result.Score;
            total += weight;
            criteria.AddRange(result.Criteria.Select(c => c with { Id = $"{grader.Name}/{c.Id}", Weight = c.Weight * weight }));
            flags.AddRange(result.Flags.Select(f => $"{grader.Name}/{f}"));
        }

        return new GradeResult(Name, weighted / total, criteria) { Flags = flags };
    }
}
