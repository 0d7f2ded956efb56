using System.Diagnostics;
using BeneficialRL.Analysis.Items;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.Scoring;

namespace BeneficialRL.Durability.FineTuning;

/// <summary>Runs a <see cref="FineTuningSuite"/> on a policy.</summary>
public static class DoseEvaluator
{
    /// <summary>Scores every in-domain and out-of-domain item.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="suite">The suite.</param>
    /// <param name="options">Runner options (one fixed sampling seed for every dose, so rungs are compared on common random numbers).</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    public static async Task<DoseEvaluation> EvaluateAsync(IPolicyModel policy, FineTuningSuite suite, BenchmarkRunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(suite);
        var clock = Stopwatch.StartNew();
        var runner = new BenchmarkRunner(policy, options);
        var inDomain = new List<ItemScore>();
        var outOfDomain = new List<ItemScore>();
        var inIds = suite.InDomain.SelectMany(b => b.Items.Select(i => (b.Definition.Id, i.Id))).ToHashSet();
        // A benchmark's in-domain and out-of-domain items run together: one run per benchmark packs fuller batches.
        foreach (var group in suite.InDomain.Concat(suite.OutOfDomain).GroupBy(b => b.Definition.Id, StringComparer.Ordinal))
        {
            var definition = group.First().Definition;
            var run = await runner.RunAsync(new Benchmark(definition, [.. group.SelectMany(b => b.Items)]), null, cancellationToken).ConfigureAwait(false);
            foreach (var item in run.Items)
            {
                (inIds.Contains((definition.Id, item.ItemId)) ? inDomain : outOfDomain).Add(new ItemScore(definition.Id, item.ItemId, item.Score, Domain: item.Domain));
            }
        }

        return new DoseEvaluation(inDomain, outOfDomain, clock.Elapsed.TotalSeconds);
    }
}
