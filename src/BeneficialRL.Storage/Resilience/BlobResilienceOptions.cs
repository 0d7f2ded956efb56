using System.ComponentModel.DataAnnotations;

namespace BeneficialRL.Storage.Resilience;

/// <summary>Limits of the <c>blob-storage</c> resilience pipeline; the defaults suit Azure Storage and Azurite.</summary>
public sealed class BlobResilienceOptions
{
    /// <summary>The configuration section the silo host binds (<c>Storage__Resilience__MaxRetryAttempts</c>, ...).</summary>
    public const string SectionName = "Storage:Resilience";

    /// <summary>Retries after the first attempt for a transient failure (0 disables retrying).</summary>
    [Range(0, 100)]
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>First retry delay; later ones grow exponentially, with jitter so many grains do not retry in step.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound of one attempt (one request: a 4 MiB block at worst), after which it is abandoned and retried.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Share of failed calls in <see cref="SamplingDuration"/> that opens the circuit.</summary>
    [Range(0.001, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Calls needed in <see cref="SamplingDuration"/> before the circuit may open.</summary>
    [Range(2, int.MaxValue)]
    public int MinimumThroughput { get; set; } = 20;

    /// <summary>Window over which the failure ratio is measured.</summary>
    [Range(typeof(TimeSpan), "00:00:00.5", "1.00:00:00")]
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit fails calls at once before letting one probe through.</summary>
    [Range(typeof(TimeSpan), "00:00:00.5", "1.00:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Faults injected for chaos trials; off by default.</summary>
    public BlobChaosOptions Chaos { get; set; } = new();
}
