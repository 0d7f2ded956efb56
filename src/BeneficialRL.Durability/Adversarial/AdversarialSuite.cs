using BeneficialRL.Evals.Definitions;

namespace BeneficialRL.Durability.Adversarial;

/// <summary>Which benchmarks the adversarial evaluation runs by default.</summary>
public static class AdversarialSuite
{
    /// <summary>
    /// Families where steering toward harm shows: harmful compliance, deception, sycophancy, power seeking,
    /// emotional reliance, honesty, reward hacking and corrigibility, plus over-refusal (so a persona that
    /// makes the model refuse everything does not look "safer").
    /// </summary>
    public static IReadOnlyList<string> DefaultFamilies { get; } =
    [
        BenchmarkFamilies.HarmfulCompliance, BenchmarkFamilies.Deception, BenchmarkFamilies.Sycophancy, BenchmarkFamilies.PowerSeeking,
        BenchmarkFamilies.EmotionalReliance, BenchmarkFamilies.HonestyFabrication, BenchmarkFamilies.RewardHacking,
        BenchmarkFamilies.Corrigibility, BenchmarkFamilies.OverRefusal,
    ];

    /// <summary>
    /// The benchmarks to attack: the named ones in order, or by default the first multiple-choice benchmark of each
    /// default family that spans the taxonomy domains (multiple choice is deterministic and cheap, so clean and
    /// attacked scores differ only by the attack).
    /// </summary>
    /// <param name="catalogue">Where benchmarks are looked up.</param>
    /// <param name="benchmarkIds">Explicit ids, or null/empty for the default subset.</param>
    /// <exception cref="KeyNotFoundException">A named benchmark is not in the catalogue.</exception>
    public static IReadOnlyList<Benchmark> Select(BenchmarkCatalogue catalogue, IReadOnlyList<string>? benchmarkIds = null)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        if (benchmarkIds is { Count: > 0 })
        {
            return [.. benchmarkIds.Select(catalogue.Get)];
        }

        return
        [
            .. DefaultFamilies
                .Select(family => catalogue.ByFamily(family).FirstOrDefault(b => b.Definition.Format == BenchmarkFormat.McLogLik && !b.Definition.Id.Contains("unseen", StringComparison.Ordinal)))
                .OfType<Benchmark>(),
        ];
    }
}
