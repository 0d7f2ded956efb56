using System.Buffers.Text;
using System.Security.Cryptography;

namespace BeneficialRL.LocalInfrastructure;

/// <summary>
/// The API key of the local developer: generated once, kept next to the data it protects, handed to the API silo as
/// its bootstrap admin key so the same key keeps working across restarts.
/// </summary>
public static class LocalApiKey
{
    /// <summary>Prefix that makes a BeneficialRL key recognisable in logs and secret scanners.</summary>
    public const string Prefix = "brl_";

    /// <summary>File name of the key inside the data directory.</summary>
    public const string FileName = "local-api-key";

    private const int SecretBytes = 32;

    /// <summary>
    /// Reads <c>{dataDirectory}/local-api-key</c>, creating it (mode 0600) with a fresh key when it does not exist.
    /// </summary>
    /// <returns>The key and whether it was created by this call.</returns>
    /// <exception cref="InvalidDataException">The file exists but does not hold a key this method wrote.</exception>
    public static (string Key, bool Created) LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (!IsWellFormed(existing))
            {
                throw new InvalidDataException(
                    $"'{path}' does not hold a local API key ('{Prefix}' followed by {SecretBytes} base64url bytes): delete it to generate a new one.");
            }

            return (existing, false);
        }

        Directory.CreateDirectory(dataDirectory);
        var key = Generate();
        // Created with owner-only permissions from the start, so the secret is never readable by others, even briefly.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, options))
        {
            writer.Write(key);
        }

        return (key, true);
    }

    /// <summary>A new key: <c>brl_</c> followed by 32 random bytes in base64url without padding.</summary>
    public static string Generate() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>
    /// The key with all but its prefix and last four characters hidden (<c>brl_…Ab3x</c>): enough to tell keys apart in
    /// logs and panels, useless to an attacker.
    /// </summary>
    public static string Mask(string key) =>
        key.Length <= Prefix.Length + 8 ? Prefix + "…" : string.Concat(key.AsSpan(0, Prefix.Length), "…", key.AsSpan(key.Length - 4));

    /// <summary>Whether <paramref name="key"/> has the shape <see cref="Generate"/> produces.</summary>
    public static bool IsWellFormed(string key) =>
        key.StartsWith(Prefix, StringComparison.Ordinal)
        && Base64Url.IsValid(key.AsSpan(Prefix.Length), out var decodedLength)
        && decodedLength == SecretBytes;
}
