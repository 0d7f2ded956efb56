using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using BeneficialRL.LocalInfrastructure;

namespace BeneficialRL.Bench.Api;

/// <summary>
/// An unauthenticated flood: closed-loop workers each sending <c>GET /api/v1/experiments/{id}</c> with a fresh random
/// <c>brl_…</c> bearer key, so no two requests share a key and the negative cache of refused keys never helps; only the
/// per-address throttle on failed authentications does.
/// </summary>
public static class UnknownKeyFlood
{
    /// <summary>Runs <paramref name="connections"/> workers against <paramref name="url"/> for <paramref name="duration"/>.</summary>
    public static async Task<FloodResult> RunAsync(Uri url, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(connections, 1);
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };

        var started = Stopwatch.GetTimestamp();
        var stopAt = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, connections)
            .Select(_ => Task.Run(() => WorkerAsync(client, url, stopAt, cancellationToken), cancellationToken))
            .ToArray();
        var results = await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);

        var latencies = results.SelectMany(r => r.Latencies).ToArray();
        Array.Sort(latencies);
        return new FloodResult(
            connections,
            elapsed,
            results.Sum(r => r.Unauthorized),
            results.Sum(r => r.TooManyRequests),
            results.Sum(r => r.Unexpected),
            HttpClientLoad.Percentile(latencies, 0.50),
            HttpClientLoad.Percentile(latencies, 0.99));
    }

    private static async Task<(List<long> Latencies, long Unauthorized, long TooManyRequests, long Unexpected)> WorkerAsync(
        HttpClient client, Uri url, long stopAt, CancellationToken cancellationToken)
    {
        var latencies = new List<long>(capacity: 1 << 14);
        long unauthorized = 0, tooMany = 0, unexpected = 0;
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            // Well-formed like a real key, so the silo has to hash and look it up rather than reject its shape.
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", LocalApiKey.Generate());
            var sent = Stopwatch.GetTimestamp();
            try
            {
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
                latencies.Add(Stopwatch.GetTimestamp() - sent);
                switch (response.StatusCode)
                {
                    case HttpStatusCode.Unauthorized: unauthorized++; break;
                    case HttpStatusCode.TooManyRequests: tooMany++; break;
                    default: unexpected++; break;
                }
            }
            catch (HttpRequestException)
            {
                unexpected++;
            }
        }

        return (latencies, unauthorized, tooMany, unexpected);
    }
}
