using System.Globalization;
using System.Text.Json;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Scenarios.Grading;
using BeneficialRL.Scenarios.Grading.OpenAi;

namespace BeneficialRL.Evals.Scoring;

/// <summary>
/// A benchmark item graded by an OpenAI grader: <c>{{item.*}}</c> is the item's source record, <c>{{sample.output_text}}</c>
/// the response. The reward is the score, clamped to [0, 1] (benchmark scores are shares); a run error (a variable
/// missing, a formula with no finite value) scores 0 and says why in the criterion's explanation.
/// </summary>
public sealed class OpenAiBenchmarkGrader : IGrader
{
    private readonly OpenAiGrader _grader;
    private readonly JsonElement? _item;

    /// <summary>Creates the grader for one item.</summary>
    public OpenAiBenchmarkGrader(OpenAiGrader grader, BenchmarkItem item)
    {
        _grader = grader;
        if (item.GraderItem is { } json)
        {
            using var document = JsonDocument.Parse(json);
            _item = document.RootElement.Clone();
        }
    }

    /// <inheritdoc />
    public string Name => $"openai-{_grader.Type}:{_grader.Name}";

    /// <summary>Parses a benchmark's grader JSON; a definition that does not parse (it was checked at import) is an error of the definition.</summary>
    public static OpenAiGrader Parse(GraderSpec spec)
    {
        var (grader, errors) = OpenAiGraderParser.Parse(spec.OpenAiGrader ?? "null", "$.grader.openAiGrader");
        if (grader is null) throw new ArgumentException($"The benchmark's OpenAI grader is invalid: {errors[0].Path}: {errors[0].Message}", nameof(spec));
        return grader;
    }

    /// <inheritdoc />
    public async Task<GradeResult> GradeAsync(GradingRequest request, CancellationToken cancellationToken)
    {
        var result = await OpenAiGraderRunner.RunAsync(_grader, new GraderContext(_item, request.Response), models: null, cancellationToken).ConfigureAwait(false);
        var criteria = result.Scores
            .Select(s => new CriterionResult(s.Key, s.Value >= 0.5, Math.Clamp(s.Value, 0, 1), 1, string.Create(CultureInfo.InvariantCulture, $"{s.Key} scored {s.Value:G6}.")))
            .ToList();
        if (result.Errors.Any)
        {
            criteria.Add(new CriterionResult("errors", false, 0, 0, string.Join(" ", result.Errors.Messages.Select(m => $"{m.Key}: {m.Value}"))));
            return new GradeResult(Name, 0, criteria) { Flags = ["openai-grader-error"] };
        }

        return new GradeResult(Name, Math.Clamp(result.Reward, 0, 1), criteria);
    }
}
