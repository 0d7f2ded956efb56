namespace BeneficialRL.Evals.Definitions;

/// <summary>A benchmark definition with its items.</summary>
/// <param name="Definition">Identity, format, source, grader, hash.</param>
/// <param name="Items">The items, in a stable order.</param>
public sealed record Benchmark(BenchmarkDefinition Definition, IReadOnlyList<BenchmarkItem> Items)
{
    /// <summary>
    /// Builds a benchmark, filling in the item count, the domains spanned (when none are given) and
    /// the content hash; validates the items against the format.
    /// </summary>
    public static Benchmark Create(BenchmarkDefinition definition, IReadOnlyList<BenchmarkItem> items)
    {
        BenchmarkValidator.Validate(definition, items);
        var domains = definition.Domains.Count > 0 ? definition.Domains : [.. items.Select(i => i.Domain).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        return new Benchmark(definition with { ContentHash = BenchmarkContentHash.Compute(items), ItemCount = items.Count, Domains = domains }, items);
    }
}
