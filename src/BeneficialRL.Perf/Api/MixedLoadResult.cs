namespace BeneficialRL.Perf.Api;

/// <summary>What one batch of <see cref="MixedLoad"/> requests got back.</summary>
/// <param name="Requests">Requests sent.</param>
/// <param name="Duration">Wall time of the batch.</param>
/// <param name="ByKind">Requests per kind (read, create, list, 404, bad input).</param>
/// <param name="Unexpected">Answers other than the kind's expected status, and socket errors.</param>
/// <param name="UnexpectedSamples">The first few unexpected answers, described, so a failing run says what went wrong.</param>
public sealed record MixedLoadResult(long Requests, TimeSpan Duration, IReadOnlyDictionary<string, long> ByKind, long Unexpected, IReadOnlyList<string> UnexpectedSamples)
{
    /// <summary>Requests per second of wall time.</summary>
    public double RequestsPerSecond => Requests / Duration.TotalSeconds;
}
