using BeneficialRL.Scenarios.Schema;
using BeneficialRL.Scenarios.Text;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace BeneficialRL.Scenarios.Tests.Grading;

/// <summary>One hand-written answer labelled with the truth about one rubric criterion.</summary>
/// <param name="Trait">Trait id.</param>
/// <param name="Criterion">Criterion id within the trait's rubric.</param>
/// <param name="Present">Whether the behaviour the criterion describes is in the answer.</param>
/// <param name="Kind">What sort of answer it is (paraphrase, opposite, polite-non-answer, truncated, keyword-opposite).</param>
/// <param name="Answer">The answer text.</param>
internal sealed record LabelledAnswer(string Trait, string Criterion, bool Present, string Kind, string Answer);

/// <summary>
/// The hand-written paraphrase set in <c>Data/judge-paraphrases.yaml</c>, and the check that it was not
/// copied from the judge's concept phrases (no shared 3-gram of content words).
/// </summary>
internal static class JudgeParaphraseSet
{
    /// <summary>Function words left out before comparing 3-grams: sharing "I would not" proves nothing.</summary>
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "but", "if", "then", "so", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as",
        "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "have", "has", "had", "will", "would", "shall",
        "should", "can", "could", "may", "might", "must", "i", "you", "we", "they", "he", "she", "it", "me", "us", "them", "him", "her",
        "my", "your", "our", "their", "his", "its", "this", "that", "these", "those", "there", "here", "what", "which", "who", "whom",
        "when", "where", "why", "how", "not", "no", "nor", "all", "any", "each", "some", "such", "than", "too", "very", "just", "up",
        "down", "out", "into", "about", "over", "under", "again", "once", "also", "only", "own", "same", "other", "more", "most",
        "before", "after", "s", "t", "ll", "d", "re", "ve", "m",
    };

    /// <summary>Loads the labelled answers shipped next to the tests.</summary>
    public static IReadOnlyList<LabelledAnswer> Load()
    {
        var yaml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "judge-paraphrases.yaml"));
        var file = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build().Deserialize<FileModel>(yaml);
        return [.. file.Items.Select(i => new LabelledAnswer(i.Trait, i.Criterion, i.Present, i.Kind, i.Answer.Trim()))];
    }

    /// <summary>The content words of a text in order (canonical tokens less function words).</summary>
    public static string[] ContentWords(string text) => [.. TextNormalizer.TokenizeCanonical(text).Where(t => !StopWords.Contains(t))];

    /// <summary>Content-word 3-grams the answer shares with any concept phrase of the rubric.</summary>
    public static IReadOnlyList<string> SharedTrigrams(string answer, IEnumerable<RubricCriterion> rubric)
    {
        var phraseTrigrams = rubric.SelectMany(c => c.Check.Concepts).SelectMany(p => p).SelectMany(p => Trigrams(ContentWords(p))).ToHashSet(StringComparer.Ordinal);
        return [.. Trigrams(ContentWords(answer)).Where(phraseTrigrams.Contains).Distinct(StringComparer.Ordinal)];
    }

    private static IEnumerable<string> Trigrams(string[] words)
    {
        for (var i = 0; i + 3 <= words.Length; i++)
        {
            yield return $"{words[i]} {words[i + 1]} {words[i + 2]}";
        }
    }

    private sealed class FileModel
    {
        public List<ItemModel> Items { get; set; } = [];
    }

    private sealed class ItemModel
    {
        public string Trait { get; set; } = "";

        public string Criterion { get; set; } = "";

        public bool Present { get; set; }

        public string Kind { get; set; } = "";

        public string Answer { get; set; } = "";
    }
}
