using System.Text;

namespace BeneficialRL.Scenarios.Text;

/// <summary>
/// Culture-invariant tokenisation shared by the judge, the variety metrics and the contamination
/// check, so that all three see the same words.
/// </summary>
public static class TextNormalizer
{
    /// <summary>Lower-cased word tokens; apostrophes kept inside words ("can't"), everything else splits.</summary>
    public static string[] Tokenize(string text)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        foreach (var raw in text)
        {
            var c = raw is '\u2019' or '\u2018' ? '\'' : char.ToLowerInvariant(raw);
            if (char.IsLetterOrDigit(c) || (c == '\'' && current.Length > 0))
            {
                current.Append(c);
            }
            else
            {
                Flush(current, tokens);
            }
        }

        Flush(current, tokens);
        return [.. tokens];
    }

    private static readonly Dictionary<string, string[]> Contractions = new(StringComparer.Ordinal)
    {
        ["can't"] = ["can", "not"],
        ["cannot"] = ["can", "not"],
        ["won't"] = ["will", "not"],
        ["shan't"] = ["shall", "not"],
        ["i'm"] = ["i", "am"],
        ["let's"] = ["let", "us"],
        ["it's"] = ["it", "is"],
        ["that's"] = ["that", "is"],
        ["here's"] = ["here", "is"],
        ["there's"] = ["there", "is"],
        ["what's"] = ["what", "is"],
        ["who's"] = ["who", "is"],
        ["he's"] = ["he", "is"],
        ["she's"] = ["she", "is"],
        ["where's"] = ["where", "is"],
    };

    /// <summary>
    /// Tokens with contractions expanded ("can't" → "can not", "I'd" → "i would", "you're" → "you are"),
    /// so that "I can't confirm" and "I cannot confirm" read the same to the judge.
    /// </summary>
    public static string[] TokenizeCanonical(string text)
    {
        var tokens = Tokenize(text);
        var result = new List<string>(tokens.Length + 8);
        foreach (var token in tokens)
        {
            if (Contractions.TryGetValue(token, out var expanded))
            {
                result.AddRange(expanded);
            }
            else if (token.EndsWith("n't", StringComparison.Ordinal) && token.Length > 3)
            {
                result.Add(token[..^3]);
                result.Add("not");
            }
            else if (token.EndsWith("'re", StringComparison.Ordinal))
            {
                result.Add(token[..^3]);
                result.Add("are");
            }
            else if (token.EndsWith("'ve", StringComparison.Ordinal))
            {
                result.Add(token[..^3]);
                result.Add("have");
            }
            else if (token.EndsWith("'ll", StringComparison.Ordinal))
            {
                result.Add(token[..^3]);
                result.Add("will");
            }
            else if (token.EndsWith("'d", StringComparison.Ordinal))
            {
                result.Add(token[..^2]);
                result.Add("would");
            }
            else
            {
                result.Add(token);
            }
        }

        return [.. result];
    }

    /// <summary>Splits text into sentences at terminal punctuation or line breaks.</summary>
    public static IReadOnlyList<string> SplitSentences(string text)
    {
        var sentences = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            current.Append(c);
            var terminal = c is '.' or '!' or '?' or '\n';
            var atBoundary = i + 1 >= text.Length || char.IsWhiteSpace(text[i + 1]);
            if (terminal && atBoundary)
            {
                AddSentence(current, sentences);
            }
        }

        AddSentence(current, sentences);
        return sentences;
    }

    private static void AddSentence(StringBuilder current, List<string> sentences)
    {
        var sentence = current.ToString().Trim();
        if (sentence.Length > 0)
        {
            sentences.Add(sentence);
        }

        current.Clear();
    }

    private static void Flush(StringBuilder current, List<string> tokens)
    {
        if (current.Length == 0)
        {
            return;
        }

        var token = current.ToString().TrimEnd('\'');
        if (token.Length > 0)
        {
            tokens.Add(token);
        }

        current.Clear();
    }
}
