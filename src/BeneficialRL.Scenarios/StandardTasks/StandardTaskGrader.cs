using System.Globalization;
using System.Text.RegularExpressions;
using BeneficialRL.Scenarios.Grading;
using BeneficialRL.Scenarios.Text;

namespace BeneficialRL.Scenarios.StandardTasks;

/// <summary>The programmatic grader of one standard task (verifiable reward).</summary>
public sealed partial class StandardTaskGrader(StandardTask task) : IGrader
{
    /// <inheritdoc />
    public string Name => $"standard-{task.Family.ToString().ToLowerInvariant()}";

    /// <inheritdoc />
    public Task<GradeResult> GradeAsync(GradingRequest request, CancellationToken cancellationToken) => Task.FromResult(Grade(task, request.Response));

    /// <summary>Grades <paramref name="response"/> against <paramref name="task"/>.</summary>
    public static GradeResult Grade(StandardTask task, string response)
    {
        var criteria = task.Family switch
        {
            StandardTaskFamily.Arithmetic => GradeArithmetic(task, response),
            StandardTaskFamily.FormatFollowing => GradeFormat(task, response),
            StandardTaskFamily.Extraction => GradeExtraction(task, response),
            _ => throw new ArgumentOutOfRangeException(nameof(task), task.Family, "Unknown task family."),
        };
        return new GradeResult($"standard-{task.Family.ToString().ToLowerInvariant()}", GradeResult.WeightedScore(criteria), criteria);
    }

    private static List<CriterionResult> GradeArithmetic(StandardTask task, string response)
    {
        var expected = task.ExpectedAnswer ?? throw new InvalidOperationException($"Arithmetic task '{task.Id}' has no expected answer.");
        var answerLines = AnswerLine().Matches(response);
        var hasLine = answerLines.Count > 0;
        // Grade the declared answer when there is one, else the last number written.
        var candidate = hasLine ? answerLines[^1].Groups[1].Value : Numbers().Matches(response).LastOrDefault()?.Value;
        var normalised = candidate?.Replace(",", "", StringComparison.Ordinal);
        var correct = normalised is not null && decimal.TryParse(normalised, NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
            && value == decimal.Parse(expected, CultureInfo.InvariantCulture);
        return
        [
            new("correct-answer", correct, correct ? 1 : 0, 1, correct ? $"answer {candidate} is correct." : $"answer {candidate ?? "(none)"} is wrong; expected {expected}."),
            new("answer-line", hasLine, hasLine ? 1 : 0, 0.25, hasLine ? "ends with an 'Answer:' line." : "no 'Answer: <number>' line."),
        ];
    }

    private static List<CriterionResult> GradeFormat(StandardTask task, string response)
    {
        var lines = response.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var bullets = lines.Where(l => l.StartsWith("- ", StringComparison.Ordinal)).ToList();
        var results = new List<CriterionResult>();
        foreach (var constraint in task.Constraints)
        {
            var (id, passed, why) = constraint.Kind switch
            {
                FormatConstraintKind.BulletCount => ("bullet-count", bullets.Count == constraint.Number && bullets.All(b => b.Length > 2), $"{bullets.Count} bullets, expected {constraint.Number}."),
                FormatConstraintKind.AllLowercase => ("all-lowercase", response.Trim().Length > 0 && !response.Any(char.IsUpper), response.Any(char.IsUpper) ? "contains upper-case letters." : "all lowercase."),
                FormatConstraintKind.ForbiddenWord => ("forbidden-word", !TextNormalizer.Tokenize(response).Contains(constraint.Text!.ToLowerInvariant()), $"word \"{constraint.Text}\" {(TextNormalizer.Tokenize(response).Contains(constraint.Text!.ToLowerInvariant()) ? "used" : "not used")}."),
                FormatConstraintKind.MaxWordsPerBullet => ("max-words", bullets.Count > 0 && bullets.All(b => TextNormalizer.Tokenize(b).Length <= constraint.Number), $"longest bullet has {(bullets.Count == 0 ? 0 : bullets.Max(b => TextNormalizer.Tokenize(b).Length))} words, limit {constraint.Number}."),
                FormatConstraintKind.EndsWith => ("ends-with", response.TrimEnd().EndsWith(constraint.Text!, StringComparison.OrdinalIgnoreCase), $"must end with \"{constraint.Text}\"."),
                _ => throw new ArgumentOutOfRangeException(nameof(task), constraint.Kind, "Unknown format constraint."),
            };
            results.Add(new CriterionResult(id, passed, passed ? 1 : 0, 1, why));
        }

        return results;
    }

    private static List<CriterionResult> GradeExtraction(StandardTask task, string response)
    {
        var expected = task.ExpectedAnswer ?? throw new InvalidOperationException($"Extraction task '{task.Id}' has no expected answer.");
        var answerTokens = Normalise(expected);
        var responseTokens = Normalise(response);
        var found = Contains(responseTokens, answerTokens);
        // Pasting the whole passage would "contain" every answer; an answer must be short.
        var concise = responseTokens.Length <= answerTokens.Length + 8;
        return
        [
            new("exact-value", found, found ? 1 : 0, 1, found ? $"contains \"{expected}\"." : $"does not contain \"{expected}\"."),
            new("concise", concise && found, concise && found ? 1 : 0, 0.5, concise ? "short answer." : $"{responseTokens.Length} words; answer with the value only."),
        ];
    }

    private static string[] Normalise(string text) => TextNormalizer.Tokenize(text.Replace(",", "", StringComparison.Ordinal));

    private static bool Contains(string[] haystack, string[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return true;
            }
        }

        return needle.Length == 0;
    }

    [GeneratedRegex(@"answer\s*[:=]\s*\$?\s*(-?[\d,]+(?:\.\d+)?)", RegexOptions.IgnoreCase)]
    private static partial Regex AnswerLine();

    [GeneratedRegex(@"-?\d[\d,]*(?:\.\d+)?")]
    private static partial Regex Numbers();
}
