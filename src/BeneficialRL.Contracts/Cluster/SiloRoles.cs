namespace BeneficialRL.Contracts.Cluster;

/// <summary>
/// The roles a silo can carry in its Orleans metadata (<c>Orleans:Metadata</c>) and in <c>Silo__Roles</c>: one
/// definition for the silos, their placement and the AppHost that starts them.
/// </summary>
public static class SiloRoles
{
    /// <summary>Serves the REST API and dashboard.</summary>
    public const string Api = "api";

    /// <summary>Runs training and evaluation work; training and evaluation grains are placed only here.</summary>
    public const string Trainer = "trainer";

    /// <summary>Metadata key holding the comma-separated roles, e.g. <c>api,trainer</c>.</summary>
    public const string MetadataKey = "roles";

    /// <summary>Metadata key holding the silo's human name.</summary>
    public const string NameMetadataKey = "name";

    /// <summary>Parses a comma-separated role list, rejecting unknown roles.</summary>
    public static IReadOnlyList<string> Parse(string? roles)
    {
        var parsed = (roles ?? $"{Api},{Trainer}")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => r.ToLowerInvariant())
            .Distinct()
            .ToList();
        var unknown = parsed.Where(r => r is not (Api or Trainer)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"Unknown silo role(s) {string.Join(", ", unknown)}; expected '{Api}' and/or '{Trainer}'.", nameof(roles));
        if (parsed.Count == 0) throw new ArgumentException("A silo needs at least one role.", nameof(roles));
        return parsed;
    }

    /// <summary>True when the metadata value lists <paramref name="role"/>.</summary>
    public static bool Has(string? metadataValue, string role) =>
        metadataValue is not null && metadataValue.Split(',', StringSplitOptions.TrimEntries).Contains(role, StringComparer.Ordinal);
}
