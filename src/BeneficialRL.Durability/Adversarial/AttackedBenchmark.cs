using BeneficialRL.Evals.Definitions;
using BeneficialRL.Durability.Attacks;

namespace BeneficialRL.Durability.Adversarial;

/// <summary>A benchmark with one attack applied to every item's prompt (and to the swapped prompt of identity-swap items).</summary>
public static class AttackedBenchmark
{
    /// <summary>The attacked copy; item ids, options, rubrics and references are unchanged, so results pair with the clean run.</summary>
    public static Benchmark Create(Benchmark benchmark, PromptAttack attack)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        ArgumentNullException.ThrowIfNull(attack);
        var items = benchmark.Items.Select(item => item with
        {
            Prompt = attack.Apply(item.Prompt),
            SwappedPrompt = item.SwappedPrompt is null ? null : attack.Apply(item.SwappedPrompt),
        }).ToList();
        // The definition (id, grader, polarity) stays: only what the policy reads changes.
        return new Benchmark(benchmark.Definition with { ContentHash = BenchmarkContentHash.Compute(items) }, items);
    }
}
