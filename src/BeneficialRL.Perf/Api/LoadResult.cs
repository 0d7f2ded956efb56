namespace BeneficialRL.Perf.Api;

/// <summary>What one load generator measured against one URL.</summary>
/// <param name="Tool">The load generator (<c>HttpClient</c>, <c>wrk</c>).</param>
/// <param name="Connections">Concurrent connections kept busy.</param>
/// <param name="Duration">Measured wall time.</param>
/// <param name="Requests">Completed requests.</param>
/// <param name="Errors">Requests that failed or answered other than 200.</param>
/// <param name="P50">Median latency.</param>
/// <param name="P99">99th-percentile latency.</param>
public sealed record LoadResult(string Tool, int Connections, TimeSpan Duration, long Requests, long Errors, TimeSpan P50, TimeSpan P99)
{
    /// <summary>Completed requests per second of wall time.</summary>
    public double RequestsPerSecond => Requests / Duration.TotalSeconds;
}
