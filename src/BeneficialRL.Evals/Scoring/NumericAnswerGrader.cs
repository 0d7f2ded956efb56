using System.Globalization;
using System.Text.RegularExpressions;
using BeneficialRL.Scenarios.Grading;

namespace BeneficialRL.Evals.Scoring;

/// <summary>Capability control grader: 1 when the first number in the response equals the expected number (the request's reference).</summary>
public sealed partial class NumericAnswerGrader : IGrader
{
    /// <inheritdoc />
    public string Name => "numeric";

    /// <inheritdoc />
    public Task<GradeResult> GradeAsync(GradingRequest request, CancellationToken cancellationToken)
    {
        var expected = request.Reference ?? throw new ArgumentException($"Item '{request.ItemId}': the numeric grader needs a reference number.", nameof(request));
        var match = Number().Match(request.Response);
        var passed = match.Success
            && decimal.TryParse(match.Value.Replace(",", "", StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture, out var given)
            && decimal.TryParse(expected, NumberStyles.Number, CultureInfo.InvariantCulture, out var wanted)
            && given == wanted;
        var explanation = match.Success ? $"first number {match.Value}, expected {expected}." : $"no number, expected {expected}.";
        return Task.FromResult(new GradeResult(Name, passed ? 1 : 0, [new CriterionResult("exact-number", passed, passed ? 1 : 0, 1, explanation)]));
    }

    [GeneratedRegex(@"-?\d[\d,]*(\.\d+)?")]
    private static partial Regex Number();
}
