using System.Security.Claims;

namespace BeneficialRL.SiloHost.Auth;

/// <summary>Claims the API-key handler issues and handlers read.</summary>
public static class ApiClaims
{
    /// <summary>The tenant the key belongs to.</summary>
    public const string Tenant = "tenant";

    /// <summary>One granted scope (repeated).</summary>
    public const string Scope = "scope";

    /// <summary>The public key id.</summary>
    public const string KeyId = "key_id";

    /// <summary>The caller's tenant; every resource lookup is scoped by it.</summary>
    public static string TenantOf(this ClaimsPrincipal user) =>
        user.FindFirstValue(Tenant) ?? throw new InvalidOperationException("The request is not authenticated with an API key.");
}
