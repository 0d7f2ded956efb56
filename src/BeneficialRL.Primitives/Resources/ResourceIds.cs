using System.Text.RegularExpressions;

namespace BeneficialRL.Primitives.Resources;

/// <summary>The shape of tenant and resource ids: one rule for grain keys, blob paths and checkpoint ids.</summary>
public static partial class ResourceIds
{
    /// <summary>Tenant ids are lowercase slugs so they are safe in grain keys and blob paths.</summary>
    public static bool IsValidTenant(string? tenant) => tenant is not null && TenantPattern().IsMatch(tenant);

    /// <summary>Resource ids are slugs with underscores, dots and dashes, at most 64 characters.</summary>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex TenantPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex IdPattern();
}
