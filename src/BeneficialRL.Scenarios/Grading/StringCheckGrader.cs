namespace BeneficialRL.Scenarios.Grading;

/// <summary>Scores 1 when a string check passes, else 0. With no expected string it checks the request's reference.</summary>
public sealed class StringCheckGrader(string? expected, StringCheckMode mode = StringCheckMode.Contains, bool ignoreCase = true) : IGrader
{
    /// <inheritdoc />
    public string Name => "string-check";

    /// <inheritdoc />
    public Task<GradeResult> GradeAsync(GradingRequest request, CancellationToken cancellationToken)
    {
        var target = expected ?? request.Reference
            ?? throw new ArgumentException("The string check has no expected string and the request has no reference.", nameof(request));
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var response = request.Response.Trim();
        var passed = mode switch
        {
            StringCheckMode.Equals => string.Equals(response, target.Trim(), comparison),
            StringCheckMode.Contains => response.Contains(target, comparison),
            StringCheckMode.StartsWith => response.StartsWith(target.Trim(), comparison),
            StringCheckMode.NotContains => !response.Contains(target, comparison),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown string check mode."),
        };
        var detail = new CriterionResult(
            $"string-{mode.ToString().ToLowerInvariant()}",
            passed,
            passed ? 1 : 0,
            1,
            $"{mode} \"{target}\" ({(ignoreCase ? "ignoring case" : "case-sensitive")}): {(passed ? "passed" : "failed")}.");
        return Task.FromResult(new GradeResult(Name, detail.Score, [detail]));
    }
}
