namespace BeneficialRL.Scenarios.Text;

/// <summary>Process-independent FNV-1a hashes for fast keys (content addresses use <c>Primitives.Hashing.Sha256Hex</c>).</summary>
public static class StableHash
{
    /// <summary>64-bit FNV-1a over the UTF-16 code units of <paramref name="text"/>.</summary>
    public static ulong Fnv1a64(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }

        return hash;
    }
}
