using System.ComponentModel.DataAnnotations;

namespace BeneficialRL.SiloHost.Limits;

/// <summary>
/// The <c>RateLimits</c> configuration section: per-tenant request budgets and the cap on open event streams.
/// Defaults sit far above what a researcher, the AppHost or the test suite does (they poll and stream), so only
/// floods meet them. A value of 0 turns that limit off.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "RateLimits";

    /// <summary>The fixed window each tenant's read and write budgets refill in.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "365.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Requests other than POST, PATCH, PUT and DELETE a tenant may make per <see cref="Window"/> (0 = unlimited).</summary>
    [Range(0, int.MaxValue)]
    public int ReadsPerWindow { get; set; } = 6000;

    /// <summary>POST, PATCH, PUT and DELETE requests a tenant may make per <see cref="Window"/> (0 = unlimited).</summary>
    [Range(0, int.MaxValue)]
    public int WritesPerWindow { get; set; } = 600;

    /// <summary>Server-sent event streams a tenant may hold open at once (0 = unlimited); a stream's slot frees when its client disconnects.</summary>
    [Range(0, int.MaxValue)]
    public int EventStreamsPerTenant { get; set; } = 20;

    /// <summary>Inference requests (<c>/v1/completions</c>, <c>/v1/chat/completions</c>) a tenant may have running at once per API silo (0 = unlimited).</summary>
    [Range(0, int.MaxValue)]
    public int InferenceRequestsPerTenant { get; set; } = 64;
}
