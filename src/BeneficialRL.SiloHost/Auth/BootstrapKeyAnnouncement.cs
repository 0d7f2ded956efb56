using BeneficialRL.Contracts.Tenancy;
using Microsoft.Extensions.Options;

namespace BeneficialRL.SiloHost.Auth;

/// <summary>
/// Logs at start-up that a bootstrap admin key is configured, by its public key id only (derived from the hash, so
/// the log never holds the secret): operators can match it against the ids a rotation reports as revoked.
/// </summary>
public sealed partial class BootstrapKeyAnnouncement(IOptions<AuthOptions> auth, ILogger<BootstrapKeyAnnouncement> logger) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = auth.Value;
        if (!string.IsNullOrEmpty(options.BootstrapAdminKey))
        {
            LogConfigured(logger, ApiKeySecrets.KeyIdFromHash(ApiKeySecrets.Hash(options.BootstrapAdminKey)), options.BootstrapTenant);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Bootstrap admin key {KeyId} is configured for the operator tenant {Tenant}; it is refused once rotated (POST /api/v1/api-keys/bootstrap/rotate).")]
    private static partial void LogConfigured(ILogger logger, string keyId, string tenant);
}
