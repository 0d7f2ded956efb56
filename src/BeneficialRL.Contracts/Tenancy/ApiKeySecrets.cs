using System.Security.Cryptography;
using System.Text;
using BeneficialRL.Primitives.Hashing;

namespace BeneficialRL.Contracts.Tenancy;

/// <summary>Makes API key secrets and the hashes they are stored and looked up by.</summary>
public static class ApiKeySecrets
{
    /// <summary>Prefix that makes a BeneficialRL key recognisable (e.g. to secret scanners).</summary>
    public const string Prefix = "brl_";

    /// <summary>A new secret: the prefix and 32 random bytes, base64url.</summary>
    public static string Generate() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>Lowercase hex SHA-256 of a presented secret.</summary>
    public static string Hash(string secret) => Sha256Hex.Of(secret);

    /// <summary>The public id of a key, derived from its hash so it never reveals the secret.</summary>
    public static string KeyIdFromHash(string hash) => $"key_{hash[..16]}";

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
