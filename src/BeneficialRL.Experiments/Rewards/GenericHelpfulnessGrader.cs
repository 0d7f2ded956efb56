using BeneficialRL.Scenarios.Grading;
using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Experiments.Rewards;

/// <summary>
/// The reward of the paper's helpfulness control: a generic "sounds helpful" score that never reads
/// the rubric. It rewards answering at a useful length, covering the user's content words, a
/// courteous and engaged tone, and some structure, and penalises repetition and truncation. It is a
/// real grader (scores vary with the response) but blind to whether the trait was exhibited.
/// </summary>
public sealed class GenericHelpfulnessGrader : IGrader
{
    private static readonly string[] Courtesy = ["happy to help", "glad", "thanks", "thank you", "please", "of course", "great question", "sure", "certainly", "i can help", "here is", "here's"];
    private static readonly string[] Structure = ["first", "second", "then", "next", "finally", "step", "for example", "because", "so that", "- "];
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "a", "an", "and", "or", "but", "to", "of", "in", "on", "for", "with", "is", "are", "was", "were", "be", "it", "this", "that",
        "i", "you", "we", "my", "your", "me", "do", "does", "can", "should", "would", "could", "what", "how", "just", "so", "at", "as", "by",
    };

    /// <inheritdoc />
    public string Name => "generic-helpfulness";

    /// <inheritdoc />
    public Task<GradeResult> GradeAsync(GradingRequest request, CancellationToken cancellationToken) => Task.FromResult(Grade(request));

    /// <summary>Grades synchronously.</summary>
    public GradeResult Grade(GradingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = request.Response.ToLowerInvariant();
        var words = Words(text);
        var userWords = Words(string.Join(" ", request.Conversation.Where(t => t.Role == TurnRole.User).Select(t => t.Content)).ToLowerInvariant())
            .Where(w => w.Length > 3 && !StopWords.Contains(w)).ToHashSet(StringComparer.Ordinal);

        // Length: rises to 1 at 25 words, stays there to 90, then slowly falls (padding is not helpful).
        var length = words.Length switch
        {
            0 => 0,
            < 25 => words.Length / 25.0,
            <= 90 => 1,
            _ => Math.Max(0.3, 1 - ((words.Length - 90) / 150.0)),
        };
        var coverage = userWords.Count == 0 ? 0.5 : Math.Min(1, userWords.Count(w => words.Contains(w, StringComparer.Ordinal)) / Math.Max(1.0, Math.Min(6, userWords.Count)));
        var courtesy = Math.Min(1, Courtesy.Count(p => text.Contains(p, StringComparison.Ordinal)) / 2.0);
        var structure = Math.Min(1, Structure.Count(p => text.Contains(p, StringComparison.Ordinal)) / 2.0);
        var distinct = words.Length == 0 ? 0 : (double)words.Distinct(StringComparer.Ordinal).Count() / words.Length;
        var repetition = words.Length < 8 ? 1 : Math.Clamp((distinct - 0.3) / 0.3, 0, 1);

        IReadOnlyList<CriterionResult> criteria =
        [
            new CriterionResult("length", length >= 0.5, length, 0.3, $"{words.Length} words"),
            new CriterionResult("coverage", coverage >= 0.5, coverage, 0.3, $"{userWords.Count} user content words"),
            new CriterionResult("courtesy", courtesy >= 0.5, courtesy, 0.2, "courteous phrases"),
            new CriterionResult("structure", structure >= 0.5, structure, 0.2, "structure markers"),
        ];
        var score = GradeResult.WeightedScore(criteria) * repetition;
        var flags = new List<string>();
        if (repetition < 1)
        {
            flags.Add("repetitive");
        }

        return new GradeResult(Name, Math.Clamp(score, 0, 1), criteria) { Flags = flags };
    }

    private static string[] Words(string text) =>
        text.Split([' ', '\n', '\t', '.', ',', ';', ':', '!', '?', '"', '(', ')'], StringSplitOptions.RemoveEmptyEntries);
}
