using BeneficialRL.Scenarios.Text;

namespace BeneficialRL.Scenarios.Contamination;

/// <summary>
/// Checks a candidate set (e.g. a benchmark or the held-out split) against a source set (e.g. the
/// training scenarios): exact word 13-gram overlap, and near-duplicates found by MinHash with LSH
/// banding over word shingles, confirmed by exact Jaccard similarity.
/// </summary>
public static class ContaminationChecker
{
    /// <summary>Compares <paramref name="candidates"/> against <paramref name="source"/>.</summary>
    public static ContaminationReport Compare(IEnumerable<ContaminationItem> source, IEnumerable<ContaminationItem> candidates, ContaminationOptions? options = null)
    {
        options ??= new ContaminationOptions();
        if (options.MinHashPermutations % options.Bands != 0)
        {
            throw new ArgumentException($"MinHashPermutations ({options.MinHashPermutations}) must be divisible by Bands ({options.Bands}).", nameof(options));
        }

        var sourceList = source.ToList();
        var candidateList = candidates.ToList();

        // Exact n-gram index: hash -> first source item holding it.
        var nGramOwner = new Dictionary<ulong, int>();
        var sourceShingles = new List<HashSet<ulong>>(sourceList.Count);
        var buckets = new Dictionary<(int Band, ulong Key), List<int>>();
        for (var s = 0; s < sourceList.Count; s++)
        {
            var tokens = TextNormalizer.Tokenize(sourceList[s].Text);
            foreach (var hash in NGrams(tokens, options.NGram))
            {
                nGramOwner.TryAdd(hash, s);
            }

            var shingles = NGrams(tokens, options.ShingleSize).ToHashSet();
            sourceShingles.Add(shingles);
            foreach (var key in BandKeys(shingles, options))
            {
                if (!buckets.TryGetValue(key, out var list))
                {
                    buckets[key] = list = [];
                }

                list.Add(s);
            }
        }

        var overlaps = new List<NGramOverlap>();
        var duplicates = new List<NearDuplicate>();
        foreach (var candidate in candidateList)
        {
            var tokens = TextNormalizer.Tokenize(candidate.Text);
            int shared = 0, total = 0, firstOwner = -1, firstAt = -1;
            for (var i = 0; i + options.NGram <= tokens.Length; i++)
            {
                total++;
                if (nGramOwner.TryGetValue(TextVariety.NGramHash(tokens, i, options.NGram), out var owner))
                {
                    shared++;
                    if (firstOwner < 0)
                    {
                        (firstOwner, firstAt) = (owner, i);
                    }
                }
            }

            if (shared > 0)
            {
                overlaps.Add(new NGramOverlap(candidate.Id, sourceList[firstOwner].Id, shared, (double)shared / total, string.Join(' ', tokens, firstAt, options.NGram)));
            }

            var shingles = NGrams(tokens, options.ShingleSize).ToHashSet();
            var best = (Index: -1, Jaccard: 0.0);
            var checkedSources = new HashSet<int>();
            foreach (var key in BandKeys(shingles, options))
            {
                if (!buckets.TryGetValue(key, out var list))
                {
                    continue;
                }

                foreach (var s in list.Where(checkedSources.Add))
                {
                    var jaccard = Jaccard(shingles, sourceShingles[s]);
                    if (jaccard > best.Jaccard)
                    {
                        best = (s, jaccard);
                    }
                }
            }

            if (best.Index >= 0 && best.Jaccard >= options.NearDuplicateThreshold)
            {
                duplicates.Add(new NearDuplicate(candidate.Id, sourceList[best.Index].Id, best.Jaccard));
            }
        }

        return new ContaminationReport(
            sourceList.Count,
            candidateList.Count,
            overlaps.Count,
            options.NGram,
            [.. overlaps.OrderByDescending(o => o.ShareOfNGrams).ThenByDescending(o => o.SharedNGrams).ThenBy(o => o.CandidateId, StringComparer.Ordinal).Take(options.WorstOffenders)],
            [.. duplicates.OrderByDescending(d => d.Jaccard).ThenBy(d => d.CandidateId, StringComparer.Ordinal).Take(options.WorstOffenders)],
            duplicates.Count);
    }

    private static IEnumerable<ulong> NGrams(string[] tokens, int n)
    {
        if (tokens.Length > 0 && tokens.Length < n)
        {
            // Short texts are one shingle, so they can still be compared.
            yield return TextVariety.NGramHash(tokens, 0, tokens.Length);
            yield break;
        }

        for (var i = 0; i + n <= tokens.Length; i++)
        {
            yield return TextVariety.NGramHash(tokens, i, n);
        }
    }

    private static IEnumerable<(int Band, ulong Key)> BandKeys(HashSet<ulong> shingles, ContaminationOptions options)
    {
        if (shingles.Count == 0)
        {
            yield break;
        }

        var signature = new ulong[options.MinHashPermutations];
        Array.Fill(signature, ulong.MaxValue);
        foreach (var shingle in shingles)
        {
            for (var p = 0; p < signature.Length; p++)
            {
                var h = Mix(shingle ^ (0x9E3779B97F4A7C15UL * (ulong)(p + 1)));
                if (h < signature[p])
                {
                    signature[p] = h;
                }
            }
        }

        var rows = signature.Length / options.Bands;
        for (var b = 0; b < options.Bands; b++)
        {
            var key = 14695981039346656037UL;
            for (var r = 0; r < rows; r++)
            {
                key = Mix(key ^ signature[(b * rows) + r]);
            }

            yield return (b, key);
        }
    }

    private static double Jaccard(HashSet<ulong> a, HashSet<ulong> b)
    {
        if (a.Count == 0 && b.Count == 0)
        {
            return 1;
        }

        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        var intersection = small.Count(large.Contains);
        return (double)intersection / (a.Count + b.Count - intersection);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
