using System.Text.RegularExpressions;

namespace BeneficialRL.Scenarios.Grading;

/// <summary>Scores 1 when the response matches (or, with <c>mustMatch: false</c>, does not match) a regular expression.</summary>
public sealed class RegexGrader : IGrader
{
    private readonly Regex _regex;
    private readonly bool _mustMatch;

    /// <summary>Creates the grader; patterns run with a one-second timeout so a pathological pattern cannot hang grading.</summary>
    public RegexGrader(string pattern, bool mustMatch = true, RegexOptions options = RegexOptions.IgnoreCase)
    {
        _regex = new Regex(pattern, options | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        _mustMatch = mustMatch;
    }

    /// <inheritdoc />
    public string Name => "regex";

    /// <inheritdoc />
    public Task<GradeResult> GradeAsync(GradingRequest request, CancellationToken cancellationToken)
    {
        var match = _regex.Match(request.Response);
        var passed = match.Success == _mustMatch;
        var explanation = match.Success
            ? $"/{_regex}/ matched \"{match.Value}\" at {match.Index}; {(_mustMatch ? "a match was required" : "a match was forbidden")}."
            : $"/{_regex}/ did not match; {(_mustMatch ? "a match was required" : "a match was forbidden")}.";
        var detail = new CriterionResult("regex", passed, passed ? 1 : 0, 1, explanation);
        return Task.FromResult(new GradeResult(Name, detail.Score, [detail]));
    }
}
