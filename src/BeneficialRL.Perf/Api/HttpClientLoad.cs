using System.Net;
using System.Net.Http.Headers;

namespace BeneficialRL.Perf.Api;

/// <summary>Authenticated <c>GET</c> load over <see cref="ClosedLoop"/>; latencies of 200 answers, everything else an error.</summary>
public static class HttpClientLoad
{
    /// <summary>Runs <paramref name="connections"/> workers against <paramref name="url"/> for <paramref name="duration"/>.</summary>
    public static async Task<LoadResult> RunAsync(Uri url, string apiKey, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        var outcome = await ClosedLoop.RunAsync(connections, duration, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            return request;
        }, cancellationToken).ConfigureAwait(false);

        var latencies = outcome.Sorted(HttpStatusCode.OK);
        return new LoadResult(
            "HttpClient",
            connections,
            outcome.Elapsed,
            latencies.Length,
            outcome.CountExcept(HttpStatusCode.OK) + outcome.TransportFailures,
            ClosedLoop.Percentile(latencies, 0.50),
            ClosedLoop.Percentile(latencies, 0.99));
    }
}
