using System.Net;
using System.Net.Http.Headers;
using BeneficialRL.LocalInfrastructure;

namespace BeneficialRL.Perf.Api;

/// <summary>
/// An unauthenticated flood over <see cref="ClosedLoop"/>: each request is <c>GET /api/v1/experiments/{id}</c> with a
/// fresh random <c>brl_…</c> bearer key, so no two requests share a key and the negative cache of refused keys never
/// helps; only the per-address throttle on failed authentications does.
/// </summary>
public static class UnknownKeyFlood
{
    /// <summary>Runs <paramref name="connections"/> workers against <paramref name="url"/> for <paramref name="duration"/>.</summary>
    public static async Task<FloodResult> RunAsync(Uri url, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        var outcome = await ClosedLoop.RunAsync(connections, duration, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            // Well-formed like a real key, so the silo has to hash and look it up rather than reject its shape.
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", LocalApiKey.Generate());
            return request;
        }, cancellationToken).ConfigureAwait(false);

        var latencies = outcome.Sorted();
        return new FloodResult(
            connections,
            outcome.Elapsed,
            outcome.Count(HttpStatusCode.Unauthorized),
            outcome.Count(HttpStatusCode.TooManyRequests),
            outcome.CountExcept(HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests) + outcome.TransportFailures,
            ClosedLoop.Percentile(latencies, 0.50),
            ClosedLoop.Percentile(latencies, 0.99));
    }
}
