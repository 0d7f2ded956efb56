using BeneficialRL.Primitives.Resources;

namespace BeneficialRL.Contracts.Resources;

/// <summary>
/// Builds and parses grain keys of the form <c>{tenant}/{id}</c>, so every tenant-owned grain is
/// namespaced by its tenant and one tenant can never address another's resource.
/// </summary>
public static partial class ResourceKey
{
    /// <summary>Composes the grain key of a tenant-owned resource.</summary>
    public static string For(string tenant, string id)
    {
        if (!IsValidTenant(tenant)) throw new ArgumentException($"'{tenant}' is not a valid tenant id.", nameof(tenant));
        if (!IsValidId(id)) throw new ArgumentException($"'{id}' is not a valid resource id.", nameof(id));
        return $"{tenant}/{id}";
    }

    /// <summary>Splits a grain key made by <see cref="For"/>.</summary>
    public static (string Tenant, string Id) Parse(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == key.Length - 1) throw new FormatException($"'{key}' is not a tenant-scoped resource key.");
        return (key[..slash], key[(slash + 1)..]);
    }

    /// <summary>Creates a new random resource id with a readable kind prefix, e.g. <c>exp_5kq2w8d1h3zt</c>.</summary>
    public static string NewId(string prefix)
    {
        const string alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
        Span<byte> bytes = stackalloc byte[12];
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
        Span<char> chars = stackalloc char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++) chars[i] = alphabet[bytes[i] & 31];
        return $"{prefix}_{chars}";
    }

    /// <inheritdoc cref="ResourceIds.IsValidTenant"/>
    public static bool IsValidTenant(string? tenant) => ResourceIds.IsValidTenant(tenant);

    /// <inheritdoc cref="ResourceIds.IsValidId"/>
    public static bool IsValidId(string? id) => ResourceIds.IsValidId(id);
}
