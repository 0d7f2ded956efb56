namespace BeneficialRL.Perf.Api;

/// <summary>What a flood of unknown API keys got back.</summary>
/// <param name="Connections">Concurrent connections kept busy.</param>
/// <param name="Duration">Measured wall time.</param>
/// <param name="Unauthorized">401 answers: the key was looked up (or recalled from the negative cache) and refused.</param>
/// <param name="TooManyRequests">429 answers: the address had used up its failed authentications, so no key was looked up.</param>
/// <param name="Unexpected">Any other answer or a socket error.</param>
/// <param name="P50">Median latency of all answers.</param>
/// <param name="P99">99th-percentile latency of all answers.</param>
public sealed record FloodResult(int Connections, TimeSpan Duration, long Unauthorized, long TooManyRequests, long Unexpected, TimeSpan P50, TimeSpan P99)
{
    /// <summary>All answers, expected or not.</summary>
    public long Requests => Unauthorized + TooManyRequests + Unexpected;

    /// <summary>Answers per second of wall time.</summary>
    public double RequestsPerSecond => Requests / Duration.TotalSeconds;
}
