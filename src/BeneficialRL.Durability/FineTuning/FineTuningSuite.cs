using BeneficialRL.Evals.Definitions;
using BeneficialRL.Durability.Adversarial;

namespace BeneficialRL.Durability.FineTuning;

/// <summary>The benchmarks re-run after each dose, split into the fine-tuning domain's items and every other domain's.</summary>
/// <param name="Domain">The fine-tuning domain.</param>
/// <param name="InDomain">Per benchmark, its items in the domain (benchmarks without any are left out).</param>
/// <param name="OutOfDomain">Per benchmark, items of the other domains, spread over them.</param>
public sealed record FineTuningSuite(string Domain, IReadOnlyList<Benchmark> InDomain, IReadOnlyList<Benchmark> OutOfDomain)
{
    /// <summary>
    /// Builds the suite from <paramref name="benchmarkIds"/>, or by default the adversarial subset plus the first
    /// multiple-choice capability benchmark (a control: harmful SFT should not be mistaken for general damage).
    /// </summary>
    public static FineTuningSuite Build(BenchmarkCatalogue catalogue, string domain, IReadOnlyList<string>? benchmarkIds, int maxInDomain, int maxOutOfDomain)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(domain);
        var benchmarks = AdversarialSuite.Select(catalogue, benchmarkIds).ToList();
        if (benchmarkIds is not { Count: > 0 }
            && catalogue.ByFamily(BenchmarkFamilies.Capability).FirstOrDefault(b => b.Definition.Format == BenchmarkFormat.McLogLik) is { } capability)
        {
            benchmarks.Add(capability);
        }

        var inDomain = new List<Benchmark>();
        var outOfDomain = new List<Benchmark>();
        foreach (var benchmark in benchmarks)
        {
            var inside = benchmark.Items.Where(i => string.Equals(i.Domain, domain, StringComparison.Ordinal)).ToList();
            var outside = benchmark.Items.Where(i => !string.Equals(i.Domain, domain, StringComparison.Ordinal)).ToList();
            // Half-lives and Δ rows pair at least two items per benchmark; a benchmark with fewer adds noise, not signal.
            if (inside.Count >= 2)
            {
                inDomain.Add(ItemSubset.With(benchmark, ItemSubset.Spread(inside, maxInDomain)));
            }

            if (outside.Count >= 2)
            {
                outOfDomain.Add(ItemSubset.With(benchmark, ItemSubset.Spread(outside, maxOutOfDomain)));
            }
        }

        return new FineTuningSuite(domain, inDomain, outOfDomain);
    }
}
