using System.Text.RegularExpressions;

namespace BeneficialRL.Scenarios.Grading.OpenAi;

/// <summary>
/// The similarity metrics of OpenAI's <c>text_similarity</c> grader, written after the libraries OpenAI names, each in
/// [0, 1]: <c>fuzzy_match</c> = rapidfuzz <c>fuzz.ratio</c> / 100; <c>bleu</c> = sacrebleu <c>sentence_bleu</c> (13a
/// tokens, exponential smoothing, effective order) / 100; <c>gleu</c> = NLTK <c>sentence_gleu</c> on 13a tokens;
/// <c>rouge_n</c> / <c>rouge_l</c> = Google <c>rouge_score</c> F-measure (its tokenizer, no stemming).
/// </summary>
public static partial class TextSimilarityMetrics
{
    /// <summary>
    /// Largest product of the two lengths a longest-common-subsequence table is computed for (characters for
    /// <see cref="FuzzyMatch"/>, tokens for <see cref="RougeL"/>); past it the metric refuses rather than run for seconds.
    /// </summary>
    public const long MaxLcsCells = 20_000_000;

    /// <summary>The metric on <paramref name="input"/> against <paramref name="reference"/>.</summary>
    public static double Score(SimilarityMetric metric, string input, string reference) => metric switch
    {
        SimilarityMetric.FuzzyMatch => FuzzyMatch(input, reference),
        SimilarityMetric.Bleu => Bleu(input, reference),
        SimilarityMetric.Gleu => Gleu(input, reference),
        SimilarityMetric.Rouge1 => RougeN(input, reference, 1),
        SimilarityMetric.Rouge2 => RougeN(input, reference, 2),
        SimilarityMetric.Rouge3 => RougeN(input, reference, 3),
        SimilarityMetric.Rouge4 => RougeN(input, reference, 4),
        SimilarityMetric.Rouge5 => RougeN(input, reference, 5),
        SimilarityMetric.RougeL => RougeL(input, reference),
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };

    /// <summary>
    /// rapidfuzz's <c>ratio</c>: the normalised Indel similarity 2·LCS / (|a| + |b|) over Unicode code points, 1 for two
    /// empty strings.
    /// </summary>
    public static double FuzzyMatch(string a, string b)
    {
        var x = CodePoints(a);
        var y = CodePoints(b);
        if (x.Length + y.Length == 0) return 1;
        if ((long)x.Length * y.Length > MaxLcsCells)
            throw new ArgumentException($"fuzzy_match compares at most {MaxLcsCells:N0} character pairs; these texts have {x.Length} and {y.Length} characters.");
        return 2.0 * Lcs(x, y) / (x.Length + y.Length);
    }

    /// <summary>
    /// sacrebleu's <c>sentence_bleu(hypothesis, [reference])</c> / 100: BLEU-4 on 13a tokens with clipped n-gram counts,
    /// the brevity penalty, <c>exp</c> smoothing (the k-th order with no match counts 1 / (2^k · total)), effective
    /// order (orders the hypothesis is too short to have are left out), and 0 when no n-gram matches at all.
    /// </summary>
    public static double Bleu(string hypothesis, string reference)
    {
        var hyp = Tokenize13a(hypothesis);
        var refTokens = Tokenize13a(reference);
        const int maxOrder = 4;
        var correct = new int[maxOrder + 1];
        for (var n = 1; n <= maxOrder; n++) correct[n] = ClippedMatches(NGrams(hyp, n), NGrams(refTokens, n));

        // sacrebleu stops early when no n-gram of any order matches: the score is 0, smoothing or not.
        if (correct.All(c => c == 0)) return 0;
        var logSum = 0.0;
        var order = 0;
        var smooth = 1.0;
        for (var n = 1; n <= maxOrder; n++)
        {
            var total = Math.Max(0, hyp.Length - n + 1);
            if (total == 0) break;
            order = n;
            double precision;
            if (correct[n] == 0)
            {
                smooth *= 2;
                precision = 1.0 / (smooth * total);
            }
            else
            {
                precision = (double)correct[n] / total;
            }

            logSum += Math.Log(precision);
        }

        if (order == 0) return 0;
        var bp = hyp.Length < refTokens.Length ? Math.Exp(1 - ((double)refTokens.Length / hyp.Length)) : 1.0;
        return bp * Math.Exp(logSum / order);
    }

    /// <summary>
    /// NLTK's <c>sentence_gleu([reference], hypothesis)</c> on 13a tokens: the 1- to 4-gram matches over the larger of
    /// the hypothesis's and the reference's n-gram counts (the minimum of precision and recall).
    /// </summary>
    public static double Gleu(string hypothesis, string reference)
    {
        var hyp = Tokenize13a(hypothesis);
        var refTokens = Tokenize13a(reference);
        long matches = 0, hypCount = 0, refCount = 0;
        for (var n = 1; n <= 4; n++)
        {
            var h = NGrams(hyp, n);
            var r = NGrams(refTokens, n);
            matches += ClippedMatches(h, r);
            hypCount += h.Values.Sum();
            refCount += r.Values.Sum();
        }

        var all = Math.Max(hypCount, refCount);
        return all == 0 ? 0 : (double)matches / all;
    }

    /// <summary>Google <c>rouge_score</c>'s ROUGE-N F-measure (target = reference, prediction = input).</summary>
    public static double RougeN(string prediction, string target, int n)
    {
        var p = NGrams(TokenizeRouge(prediction), n);
        var t = NGrams(TokenizeRouge(target), n);
        var overlap = ClippedMatches(p, t);
        var precision = (double)overlap / Math.Max(p.Values.Sum(), 1);
        var recall = (double)overlap / Math.Max(t.Values.Sum(), 1);
        return FMeasure(precision, recall);
    }

    /// <summary>Google <c>rouge_score</c>'s ROUGE-L F-measure: the longest common token subsequence over each length.</summary>
    public static double RougeL(string prediction, string target)
    {
        var p = TokenizeRouge(prediction);
        var t = TokenizeRouge(target);
        if (p.Length == 0 || t.Length == 0) return 0;
        if ((long)p.Length * t.Length > MaxLcsCells)
            throw new ArgumentException($"rouge_l compares at most {MaxLcsCells:N0} token pairs; these texts have {p.Length} and {t.Length} tokens.");
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        int Id(string s) => ids.TryGetValue(s, out var id) ? id : ids[s] = ids.Count;
        var lcs = Lcs([.. p.Select(Id)], [.. t.Select(Id)]);
        return FMeasure((double)lcs / p.Length, (double)lcs / t.Length);
    }

    /// <summary>
    /// sacrebleu's <c>13a</c> tokenizer (mteval-v13a): punctuation and symbols become tokens, except '.' and ',' next
    /// to digits, '-' after a digit is split off, then whitespace splits.
    /// </summary>
    public static string[] Tokenize13a(string text)
    {
        var line = text.Replace("<skipped>", "", StringComparison.Ordinal).Replace("-\n", "", StringComparison.Ordinal).Replace('\n', ' ');
        if (line.Contains('&', StringComparison.Ordinal))
        {
            line = line.Replace("&quot;", "\"", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal)
                .Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal);
        }

        line = $" {line} ";
        line = Punctuation13a().Replace(line, " $1 ");
        line = PeriodCommaAfterNonDigit().Replace(line, "$1 $2 ");
        line = PeriodCommaBeforeNonDigit().Replace(line, " $1 $2");
        line = DashAfterDigit().Replace(line, "$1 $2 ");
        return line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary><c>rouge_score</c>'s default tokenizer: lower case, every run of characters other than a-z and 0-9 a separator.</summary>
    public static string[] TokenizeRouge(string text) =>
        NonAlphanumeric().Replace(text.ToLowerInvariant(), " ").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static double FMeasure(double precision, double recall) =>
        precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;

    private static Dictionary<string, int> NGrams(string[] tokens, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + n <= tokens.Length; i++)
        {
            var key = string.Join('\u0001', tokens, i, n);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return counts;
    }

    private static int ClippedMatches(Dictionary<string, int> hypothesis, Dictionary<string, int> reference) =>
        hypothesis.Sum(kv => Math.Min(kv.Value, reference.GetValueOrDefault(kv.Key)));

    private static int[] CodePoints(string s) => [.. s.EnumerateRunes().Select(r => r.Value)];

    private static int Lcs(int[] a, int[] b)
    {
        if (a.Length == 0 || b.Length == 0) return 0;
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        foreach (var x in a)
        {
            for (var j = 1; j <= b.Length; j++)
                current[j] = x == b[j - 1] ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    [GeneratedRegex(@"([\{-\~\[-\` -\&\(-\+\:-\@\/])")]
    private static partial Regex Punctuation13a();

    [GeneratedRegex(@"([^0-9])([\.,])")]
    private static partial Regex PeriodCommaAfterNonDigit();

    [GeneratedRegex(@"([\.,])([^0-9])")]
    private static partial Regex PeriodCommaBeforeNonDigit();

    [GeneratedRegex(@"([0-9])(-)")]
    private static partial Regex DashAfterDigit();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonAlphanumeric();
}
