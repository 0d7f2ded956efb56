namespace BeneficialRL.SiloHost.Auth;

/// <summary>The <c>Auth</c> configuration section.</summary>
public sealed class AuthOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Auth";

    /// <summary>
    /// A key accepted with every scope for <see cref="BootstrapTenant"/>, for local runs and for creating
    /// the first real keys. Unset in production once keys exist.
    /// </summary>
    public string? BootstrapAdminKey { get; set; }

    /// <summary>The operator tenant: its admin keys may create keys for other tenants.</summary>
    public string BootstrapTenant { get; set; } = "local";
}
