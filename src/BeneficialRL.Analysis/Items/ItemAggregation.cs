namespace BeneficialRL.Analysis.Items;

/// <summary>
/// Turns raw <see cref="ItemScore"/> records of one arm into one record per (benchmark, item).
/// </summary>
/// <remarks>
/// With several training seeds per arm we <b>average the seeds per item</b> rather than pool them as
/// separate observations: answers of different seeds on the same item are not independent (the item's
/// difficulty is shared), so pooling would shrink standard errors by counting one item several times.
/// Averaging keeps the item as the independent unit and keeps items pairable across arms by id.
/// </remarks>
public static class ItemAggregation
{
    /// <summary>
    /// Averages the replicates of each (benchmark, item) pair, ordered by benchmark then item id (ordinal).
    /// </summary>
    /// <param name="scores">The raw records of one arm.</param>
    /// <param name="armName">Named in error messages, e.g. <c>treatment</c>.</param>
    /// <exception cref="ArgumentException">A record has an empty id, a non-finite score, repeats a replicate, or its replicates disagree on the domain.</exception>
    public static IReadOnlyList<AggregatedItem> Aggregate(IEnumerable<ItemScore> scores, string armName)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var groups = new Dictionary<(string Benchmark, string Item), List<ItemScore>>();
        var index = 0;
        foreach (var score in scores)
        {
            if (score is null)
            {
                throw new ArgumentException($"{armName}: record #{index} is null.", nameof(scores));
            }

            if (string.IsNullOrWhiteSpace(score.BenchmarkId))
            {
                throw new ArgumentException($"{armName}: record #{index} (item '{score.ItemId}') has an empty BenchmarkId.", nameof(scores));
            }

            if (string.IsNullOrWhiteSpace(score.ItemId))
            {
                throw new ArgumentException($"{armName}: record #{index} of benchmark '{score.BenchmarkId}' has an empty ItemId.", nameof(scores));
            }

            if (!double.IsFinite(score.Score))
            {
                throw new ArgumentException($"{armName}: item '{score.BenchmarkId}/{score.ItemId}' has a non-finite Score ({score.Score}).", nameof(scores));
            }

            var key = (score.BenchmarkId, score.ItemId);
            if (!groups.TryGetValue(key, out var list))
            {
                list = [];
                groups.Add(key, list);
            }

            if (list.Exists(s => s.Replicate == score.Replicate))
            {
                throw new ArgumentException($"{armName}: item '{score.BenchmarkId}/{score.ItemId}' appears twice for replicate {score.Replicate}.", nameof(scores));
            }

            list.Add(score);
            index++;
        }

        var result = new List<AggregatedItem>(groups.Count);
        foreach (var ((benchmark, item), list) in groups.OrderBy(g => g.Key.Benchmark, StringComparer.Ordinal).ThenBy(g => g.Key.Item, StringComparer.Ordinal))
        {
            var domains = list.Select(s => s.Domain).Distinct(StringComparer.Ordinal).ToList();
            if (domains.Count > 1)
            {
                throw new ArgumentException($"{armName}: item '{benchmark}/{item}' has replicates tagged with different domains ({string.Join(", ", domains.Select(d => d ?? "<none>"))}).", nameof(scores));
            }

            bool? refused = list.Exists(s => s.Refused is null) ? null : list.Exists(s => s.Refused == true);
            result.Add(new AggregatedItem(benchmark, item, list.Average(s => s.Score), refused, domains[0], list.Count));
        }

        return result;
    }

    /// <summary>Aggregates and groups the items of one arm by benchmark id.</summary>
    /// <param name="scores">The raw records of one arm.</param>
    /// <param name="armName">Named in error messages.</param>
    public static IReadOnlyDictionary<string, IReadOnlyList<AggregatedItem>> ByBenchmark(IEnumerable<ItemScore> scores, string armName) =>
        Aggregate(scores, armName)
            .GroupBy(i => i.BenchmarkId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<AggregatedItem>)g.ToList(), StringComparer.Ordinal);
}
