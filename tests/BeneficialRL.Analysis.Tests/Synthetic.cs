using BeneficialRL.Analysis.Items;
using MathNet.Numerics.Distributions;

namespace BeneficialRL.Analysis.Tests;

/// <summary>Synthetic item scores for the analysis tests.</summary>
internal static class Synthetic
{
    /// <summary>Bernoulli item scores (0/1) with success rate <paramref name="rate"/> on <paramref name="items"/> items.</summary>
    public static IEnumerable<ItemScore> Bernoulli(string benchmark, int items, double rate, int seed, string? domain = null, int replicate = 0)
    {
        var random = new Random(seed);
        for (var i = 0; i < items; i++)
        {
            yield return new ItemScore(benchmark, $"item-{i:D4}", random.NextDouble() < rate ? 1.0 : 0.0, Domain: domain, Replicate: replicate);
        }
    }

    /// <summary>Continuous item scores around <paramref name="mean"/>, clamped to [0, 1].</summary>
    public static IEnumerable<ItemScore> Continuous(string benchmark, int items, double mean, double sd, int seed, string? domain = null)
    {
        var random = new Random(seed);
        for (var i = 0; i < items; i++)
        {
            yield return new ItemScore(benchmark, $"item-{i:D4}", Math.Clamp(Normal.Sample(random, mean, sd), 0, 1), Domain: domain);
        }
    }
}
