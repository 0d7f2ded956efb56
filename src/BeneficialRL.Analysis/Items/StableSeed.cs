namespace BeneficialRL.Analysis.Items;

/// <summary>
/// Derives a per-name seed from a root seed. <see cref="string.GetHashCode()"/> is randomised per process,
/// so a fixed FNV-1a hash keeps intervals identical from run to run.
/// </summary>
public static class StableSeed
{
    /// <summary>Combines <paramref name="rootSeed"/> with <paramref name="name"/> into a reproducible seed.</summary>
    /// <param name="rootSeed">The analysis' root seed.</param>
    /// <param name="name">A benchmark id, trait or cell name.</param>
    public static int Derive(int rootSeed, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        unchecked
        {
            var hash = 2166136261u ^ (uint)rootSeed;
            foreach (var c in name)
            {
                hash = (hash ^ c) * 16777619u;
            }

            hash ^= hash >> 15;
            hash *= 0x2c1b3c6du;
            hash ^= hash >> 12;
            return (int)(hash & 0x7fffffff);
        }
    }
}
