using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace BeneficialRL.Bench.Api;

/// <summary>
/// A closed-loop load generator on <see cref="SocketsHttpHandler"/>: N workers, each sending its next request as soon
/// as the previous response is read, over N pooled keep-alive connections. Independent of wrk, so the figure can be
/// reproduced wherever .NET runs.
/// </summary>
public static class HttpClientLoad
{
    /// <summary>Runs <paramref name="connections"/> workers against <paramref name="url"/> for <paramref name="duration"/>.</summary>
    public static async Task<LoadResult> RunAsync(Uri url, string apiKey, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(connections, 1);
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);

        var started = Stopwatch.GetTimestamp();
        var stopAt = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, connections)
            .Select(_ => Task.Run(() => WorkerAsync(client, url, stopAt, cancellationToken), cancellationToken))
            .ToArray();
        var results = await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);

        var latencies = results.SelectMany(r => r.Latencies).ToArray();
        Array.Sort(latencies);
        return new LoadResult(
            "HttpClient",
            connections,
            elapsed,
            latencies.Length,
            results.Sum(r => r.Errors),
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99));
    }

    private static async Task<(List<long> Latencies, long Errors)> WorkerAsync(HttpClient client, Uri url, long stopAt, CancellationToken cancellationToken)
    {
        var latencies = new List<long>(capacity: 1 << 16);
        long errors = 0;
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var sent = Stopwatch.GetTimestamp();
            try
            {
                using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    latencies.Add(Stopwatch.GetTimestamp() - sent);
                }
                else
                {
                    errors++;
                }
            }
            catch (HttpRequestException)
            {
                errors++;
            }
        }

        return (latencies, errors);
    }

    /// <summary>The nearest-rank <paramref name="quantile"/> of sorted <see cref="Stopwatch"/> tick counts, as wrk reports it.</summary>
    internal static TimeSpan Percentile(long[] sortedTicks, double quantile)
    {
        if (sortedTicks.Length == 0)
        {
            return TimeSpan.Zero;
        }

        // Nearest-rank percentile, as wrk reports it.
        var rank = (int)Math.Ceiling(quantile * sortedTicks.Length) - 1;
        var ticks = sortedTicks[Math.Clamp(rank, 0, sortedTicks.Length - 1)];
        return TimeSpan.FromSeconds((double)ticks / Stopwatch.Frequency);
    }
}
