using System.Text.RegularExpressions;
using BeneficialRL.Scenarios.Text;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace BeneficialRL.Scenarios.Tests.Grading;

/// <summary>Rewrites answers with the test-only paraphrase bank: word substitutions, a new opener, and a sentence swap.</summary>
internal sealed class Paraphraser
{
    private readonly List<(Regex Pattern, string Replacement)> _replacements;
    private readonly List<string> _openers;

    private Paraphraser(Bank bank)
    {
        _replacements = [.. bank.Replacements.Select(kv => (new Regex(@"(?<![\w'])" + Regex.Escape(kv.Key) + @"(?![\w'])"), kv.Value))];
        _openers = bank.Openers;
    }

    public static Paraphraser Load()
    {
        var yaml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "paraphrases.yaml"));
        var bank = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build().Deserialize<Bank>(yaml);
        return new Paraphraser(bank);
    }

    public string Paraphrase(string text, int variant)
    {
        foreach (var (pattern, replacement) in _replacements)
        {
            text = pattern.Replace(text, replacement);
        }

        // Swap two middle sentences: order changes, content does not.
        var sentences = TextNormalizer.SplitSentences(text).ToList();
        if (sentences.Count >= 4)
        {
            var i = 1 + (variant % (sentences.Count - 2));
            var j = i + 1 < sentences.Count ? i + 1 : i - 1;
            (sentences[i], sentences[j]) = (sentences[j], sentences[i]);
        }

        return _openers[variant % _openers.Count] + string.Join(" ", sentences);
    }

    private sealed class Bank
    {
        public Dictionary<string, string> Replacements { get; set; } = [];

        public List<string> Openers { get; set; } = [];
    }
}
