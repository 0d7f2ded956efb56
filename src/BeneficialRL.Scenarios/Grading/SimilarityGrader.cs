using BeneficialRL.Scenarios.Text;

namespace BeneficialRL.Scenarios.Grading;

/// <summary>
/// Text similarity to a reference: the F1 of word unigrams and bigrams (ROUGE-style overlap), so word
/// order matters a little and paraphrase costs a little. Scores are the similarity itself;
/// <paramref name="passThreshold"/> only sets the pass flag.
/// </summary>
public sealed class SimilarityGrader(string? reference = null, double passThreshold = 0.5) : IGrader
{
    /// <inheritdoc />
    public string Name => "similarity";

    /// <summary>Unigram+bigram F1 between two texts, in [0, 1].</summary>
    public static double Similarity(string a, string b)
    {
        var ta = TextNormalizer.Tokenize(a);
        var tb = TextNormalizer.Tokenize(b);
        if (ta.Length == 0 || tb.Length == 0)
        {
            return ta.Length == tb.Length ? 1 : 0;
        }

        return (F1(Grams(ta, 1), Grams(tb, 1)) + F1(Grams(ta, 2), Grams(tb, 2))) / 2;
    }

    /// <inheritdoc />
    public Task<GradeResult> GradeAsync(GradingRequest request, CancellationToken cancellationToken)
    {
        var target = reference ?? request.Reference
            ?? throw new ArgumentException("The similarity grader has no reference and the request has none.", nameof(request));
        var score = Similarity(request.Response, target);
        var detail = new CriterionResult("similarity", score >= passThreshold, score, 1, $"unigram+bigram F1 with the reference = {score:F3} (pass at {passThreshold:F2}).");
        return Task.FromResult(new GradeResult(Name, score, [detail]));
    }

    private static Dictionary<ulong, int> Grams(string[] tokens, int n)
    {
        var counts = new Dictionary<ulong, int>();
        for (var i = 0; i + n <= tokens.Length; i++)
        {
            var key = TextVariety.NGramHash(tokens, i, n);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return counts;
    }

    private static double F1(Dictionary<ulong, int> a, Dictionary<ulong, int> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return 0;
        }

        var overlap = a.Sum(kv => Math.Min(kv.Value, b.GetValueOrDefault(kv.Key)));
        var precision = (double)overlap / a.Values.Sum();
        var recall = (double)overlap / b.Values.Sum();
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }
}
