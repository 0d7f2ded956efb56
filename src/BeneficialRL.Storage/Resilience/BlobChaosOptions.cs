using System.ComponentModel.DataAnnotations;

namespace BeneficialRL.Storage.Resilience;

/// <summary>
/// Faults the <c>blob-storage</c> pipeline injects into its own calls, for chaos trials: they sit inside the retry,
/// circuit breaker and attempt timeout, so they exercise exactly the paths a real storage outage takes. All rates
/// are 0 (off) unless configured (<c>Storage__Resilience__Chaos__FaultRate=0.05</c>, ...).
/// </summary>
public sealed class BlobChaosOptions
{
    /// <summary>Share of attempts that fail with a transient <c>503 ServerBusy</c>, as a throttled account answers.</summary>
    [Range(0.0, 1.0)]
    public double FaultRate { get; set; }

    /// <summary>Share of attempts delayed by <see cref="Latency"/> before they are sent.</summary>
    [Range(0.0, 1.0)]
    public double LatencyRate { get; set; }

    /// <summary>The delay of a delayed attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Share of attempts that hang until the attempt timeout abandons them (a lost response). Lower
    /// <see cref="BlobResilienceOptions.AttemptTimeout"/> for trials, or every hit costs a minute.
    /// </summary>
    [Range(0.0, 1.0)]
    public double TimeoutRate { get; set; }

    /// <summary>Seed of the injection decisions, for repeatable trials; null draws from a shared random source.</summary>
    public int? Seed { get; set; }

    /// <summary>Called with the kind (<c>fault</c>, <c>latency</c>, <c>timeout</c>) of every injection, for counting.</summary>
    public Action<string>? Injected { get; set; }

    /// <summary>Whether any injection is switched on.</summary>
    public bool Enabled => FaultRate > 0 || LatencyRate > 0 || TimeoutRate > 0;

    /// <summary>Throws when a rate is outside [0, 1] or a duration is negative, naming the setting.</summary>
    public void Validate()
    {
        foreach (var (name, rate) in new[] { (nameof(FaultRate), FaultRate), (nameof(LatencyRate), LatencyRate), (nameof(TimeoutRate), TimeoutRate) })
        {
            if (double.IsNaN(rate) || rate is < 0 or > 1) throw new ArgumentOutOfRangeException(name, rate, $"Storage:Resilience:Chaos:{name} is a share in [0, 1].");
        }

        if (Latency < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Latency), Latency, "Storage:Resilience:Chaos:Latency must not be negative.");
    }
}
