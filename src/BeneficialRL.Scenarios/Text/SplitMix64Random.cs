namespace BeneficialRL.Scenarios.Text;

/// <summary>
/// A small seeded pseudo-random generator (SplitMix64) whose sequence is identical on every
/// process, machine and runtime version — unlike <see cref="System.Random"/> with no seed or
/// <see cref="HashCode"/>, which are randomised per process. Generated scenario sets and built-in benchmarks depend on
/// this exact sequence, so it is not the learning engine's resumable xoshiro256** generator.
/// </summary>
public sealed class SplitMix64Random
{
    private ulong _state;

    /// <summary>Creates a generator from a 64-bit seed.</summary>
    public SplitMix64Random(ulong seed) => _state = seed;

    /// <summary>Creates a generator whose seed mixes a base seed with stable string keys.</summary>
    public static SplitMix64Random For(long seed, params ReadOnlySpan<string> keys)
    {
        var mixed = (ulong)seed;
        foreach (var key in keys)
        {
            mixed = Mix(mixed ^ StableHash.Fnv1a64(key));
        }

        return new SplitMix64Random(mixed);
    }

    /// <summary>The next raw 64-bit value.</summary>
    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>A value in [0, <paramref name="maxExclusive"/>).</summary>
    public int Next(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (int)(NextUInt64() % (ulong)maxExclusive);
    }

    /// <summary>A value in [<paramref name="minInclusive"/>, <paramref name="maxExclusive"/>).</summary>
    public int Next(int minInclusive, int maxExclusive) => minInclusive + Next(maxExclusive - minInclusive);

    /// <summary>A double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>One element of a non-empty list, uniformly.</summary>
    public T Pick<T>(IReadOnlyList<T> items)
    {
        if (items.Count == 0)
        {
            throw new ArgumentException("Cannot pick from an empty list.", nameof(items));
        }

        return items[Next(items.Count)];
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
