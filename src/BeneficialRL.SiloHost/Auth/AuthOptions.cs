using System.ComponentModel.DataAnnotations;
using BeneficialRL.SiloHost.Hosting;

namespace BeneficialRL.SiloHost.Auth;

/// <summary>The <c>Auth</c> configuration section.</summary>
public sealed class AuthOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Auth";

    /// <summary>
    /// A key accepted with every scope for <see cref="BootstrapTenant"/>, for local runs and for creating
    /// the first real keys. Unset in production once keys exist. Once rotated
    /// (<c>POST /api/v1/api-keys/bootstrap/rotate</c>) it is refused for good, even though it is still configured:
    /// the rotation stores it as a revoked key.
    /// </summary>
    [Sensitive]
    public string? BootstrapAdminKey { get; set; }

    /// <summary>The operator tenant: its admin keys may create keys for other tenants.</summary>
    [Required(AllowEmptyStrings = false)]
    public string BootstrapTenant { get; set; } = "local";

    /// <summary>
    /// Failed authentications (unknown, revoked or malformed keys) one client address may make per
    /// <see cref="FailedAttemptWindow"/>; past it, that address gets 429 without any key lookup (0 = unlimited).
    /// </summary>
    [Range(0, int.MaxValue)]
    public int FailedAttemptsPerAddress { get; set; } = 100;

    /// <summary>The fixed window <see cref="FailedAttemptsPerAddress"/> counts in.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "365.00:00:00")]
    public TimeSpan FailedAttemptWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Most recently refused key hashes remembered, so a repeated unknown or revoked key costs no grain call.</summary>
    [Range(1, int.MaxValue)]
    public int NegativeCacheSize { get; set; } = 10_000;

    /// <summary>How long a refused key hash is remembered.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan NegativeCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long the last successful check of a key stands while its grain cannot be reached (its silo just died, or
    /// storage is down), so a silo loss does not lock every client out until membership notices; revocations apply
    /// again as soon as the grain answers (zero = no tolerance: such requests answer 503).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan KeyOutageTolerance { get; set; } = TimeSpan.FromMinutes(10);
}
