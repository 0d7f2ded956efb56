using System.Security.Cryptography;
using System.Text;

namespace BeneficialRL.Primitives.Hashing;

/// <summary>
/// Lowercase hex SHA-256, the form every content hash, content address and hashed key of the service takes
/// (blob metadata, checkpoint and benchmark hashes, spec hashes, API key hashes).
/// </summary>
public static class Sha256Hex
{
    /// <summary>The hash of <paramref name="bytes"/>.</summary>
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The hash of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static string Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Of(Encoding.UTF8.GetBytes(text));
    }
}
