using System.Globalization;

namespace BeneficialRL.LocalInfrastructure;

/// <summary>
/// Everything one silo host process is started with; <see cref="ToEnvironment"/> turns it into the environment
/// variables of the silo host's configuration contract.
/// </summary>
public sealed record SiloLaunchSettings
{
    /// <summary>Silo name, shown in logs, in <c>GET /api/v1/cluster</c> and in a resource's <c>worker</c> field.</summary>
    public required string Name { get; init; }

    /// <summary>Roles: <c>api</c>, <c>trainer</c> or both.</summary>
    public required IReadOnlyList<string> Roles { get; init; }

    /// <summary>Loopback HTTP port for the API (api role) and the health endpoints (every silo).</summary>
    public required int HttpPort { get; init; }

    /// <summary>Orleans silo-to-silo port.</summary>
    public required int SiloPort { get; init; }

    /// <summary>Orleans client gateway port.</summary>
    public required int GatewayPort { get; init; }

    /// <summary>Azure Storage connection string (Azurite locally): blobs for state and artifacts, tables for membership and reminders.</summary>
    public required string BlobConnectionString { get; init; }

    /// <summary>
    /// Orleans cluster id; silos join only silos with the same one. New for every run of the AppHost, as Orleans advises
    /// per deployment: the membership table outlives a run (Azurite keeps its data), and a new run must not wait on
    /// the silos of the last one. State and reminders are keyed by <see cref="ServiceId"/>, which stays.
    /// </summary>
    public string ClusterId { get; init; } = RunClusterId;

    /// <summary>A cluster id new to this process run.</summary>
    public static string RunClusterId { get; } = "local-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    /// <summary>Orleans service id; keys grain state and reminders across cluster restarts.</summary>
    public string ServiceId { get; init; } = "beneficialrl";

    /// <summary>An API key valid with every scope for <see cref="BootstrapTenant"/>, or <see langword="null"/>.</summary>
    public string? BootstrapAdminKey { get; init; }

    /// <summary>Tenant of <see cref="BootstrapAdminKey"/>.</summary>
    public string BootstrapTenant { get; init; } = "local";

    /// <summary>OTLP endpoint to export traces, metrics and logs to, or <see langword="null"/>.</summary>
    public string? OtlpEndpoint { get; init; }

    /// <summary>Further environment variables (e.g. log levels) applied after the contract's own; a <see langword="null"/> value unsets one.</summary>
    public IReadOnlyDictionary<string, string?> AdditionalEnvironment { get; init; } = new Dictionary<string, string?>();

    /// <summary>The silo's HTTP base address, with a trailing slash.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>Free loopback ports for a silo named <paramref name="name"/>, with <paramref name="httpPort"/> when given.</summary>
    public static SiloLaunchSettings WithFreePorts(string name, IReadOnlyList<string> roles, string blobConnectionString, int? httpPort = null) => new()
    {
        Name = name,
        Roles = roles,
        HttpPort = httpPort ?? FreePorts.Next(),
        SiloPort = FreePorts.Next(),
        GatewayPort = FreePorts.Next(),
        BlobConnectionString = blobConnectionString,
    };

    /// <summary>The silo host's configuration as environment variables (a <see langword="null"/> value unsets an inherited one).</summary>
    public IReadOnlyDictionary<string, string?> ToEnvironment()
    {
        var invariant = CultureInfo.InvariantCulture;
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ConnectionStrings__blobs"] = BlobConnectionString,
            ["Silo__Name"] = Name,
            ["Silo__Roles"] = string.Join(',', Roles),
            ["Silo__SiloPort"] = SiloPort.ToString(invariant),
            ["Silo__GatewayPort"] = GatewayPort.ToString(invariant),
            ["Orleans__ClusterId"] = ClusterId,
            ["Orleans__ServiceId"] = ServiceId,
            ["Auth__BootstrapAdminKey"] = BootstrapAdminKey,
            ["Auth__BootstrapTenant"] = BootstrapTenant,
            ["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = OtlpEndpoint,
            // One line per log entry, so every entry carries the resource prefix when streamed.
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        };
        foreach (var (name, value) in AdditionalEnvironment)
        {
            environment[name] = value;
        }

        return environment;
    }
}
