namespace BeneficialRL.Scenarios.Grading;

/// <summary>Grades one response; every grader returns a score in [0, 1] with per-criterion detail.</summary>
public interface IGrader
{
    /// <summary>A short name used in reports and multi-grader detail.</summary>
    string Name { get; }

    /// <summary>Grades <paramref name="request"/>.</summary>
    Task<GradeResult> GradeAsync(GradingRequest request, CancellationToken cancellationToken);
}
