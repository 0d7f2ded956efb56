using BeneficialRL.Evals.Definitions;

namespace BeneficialRL.Durability.Adversarial;

/// <summary>Deterministic item subsets, spread over a benchmark instead of its first items (which may share one domain).</summary>
public static class ItemSubset
{
    /// <summary>At most <paramref name="max"/> items at evenly spaced positions (all when there are no more than that).</summary>
    public static IReadOnlyList<BenchmarkItem> Spread(IReadOnlyList<BenchmarkItem> items, int max)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        if (items.Count <= max)
        {
            return items;
        }

        return [.. Enumerable.Range(0, max).Select(k => items[(int)((long)k * items.Count / max)])];
    }

    /// <summary>The benchmark restricted to <paramref name="items"/> (definition kept, count and hash recomputed).</summary>
    public static Benchmark With(Benchmark benchmark, IReadOnlyList<BenchmarkItem> items)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        return Benchmark.Create(benchmark.Definition with { Domains = [] }, items);
    }
}
