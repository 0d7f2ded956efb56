namespace BeneficialRL.Scenarios.Text;

/// <summary>Variety metrics for generated text: the distinct-n ratio (distinct n-grams / all n-grams).</summary>
public static class TextVariety
{
    /// <summary>
    /// Distinct-n over a corpus: the number of distinct word n-grams divided by the total number of
    /// n-grams. 1 means no n-gram repeats anywhere; templated text drives it towards 0.
    /// </summary>
    public static double DistinctN(IEnumerable<string> texts, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        var distinct = new HashSet<ulong>();
        long total = 0;
        foreach (var text in texts)
        {
            var tokens = TextNormalizer.Tokenize(text);
            for (var i = 0; i + n <= tokens.Length; i++)
            {
                distinct.Add(NGramHash(tokens, i, n));
                total++;
            }
        }

        return total == 0 ? 0 : (double)distinct.Count / total;
    }

    /// <summary>A stable 64-bit hash of the n tokens starting at <paramref name="start"/>.</summary>
    public static ulong NGramHash(string[] tokens, int start, int n)
    {
        var hash = 14695981039346656037UL;
        for (var i = start; i < start + n; i++)
        {
            foreach (var c in tokens[i])
            {
                hash ^= c;
                hash *= 1099511628211UL;
            }

            hash ^= ' ';
            hash *= 1099511628211UL;
        }

        return hash;
    }
}
