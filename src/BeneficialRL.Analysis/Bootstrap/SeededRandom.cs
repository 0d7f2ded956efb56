using MathNet.Numerics.Random;

namespace BeneficialRL.Analysis.Bootstrap;

/// <summary>The one generator behind every resampling and permutation of the library.</summary>
public static class SeededRandom
{
    /// <summary>
    /// A Mersenne Twister seeded with <paramref name="seed"/>. Each analysis step owns its generator, so
    /// MathNet's per-call locking (its thread-safe default) is switched off: it tripled resampling time.
    /// </summary>
    /// <param name="seed">The seed.</param>
    public static System.Random Create(int seed) => new MersenneTwister(seed, threadSafe: false);
}
