using System.Diagnostics;
using System.Net;

namespace BeneficialRL.Perf.Api;

/// <summary>
/// A closed-loop load driver on <see cref="SocketsHttpHandler"/>: N workers, each sending its next request as soon as
/// the previous response is read, over N pooled keep-alive connections. Independent of wrk, so a figure can be
/// reproduced wherever .NET runs. Callers decide what a request is and which answers count.
/// </summary>
internal static class ClosedLoop
{
    /// <summary>What the workers saw: latencies (<see cref="Stopwatch"/> ticks) by status code, and transport failures.</summary>
    public sealed record Outcome(TimeSpan Elapsed, IReadOnlyDictionary<HttpStatusCode, long[]> Latencies, long TransportFailures)
    {
        /// <summary>How many answers had <paramref name="status"/>.</summary>
        public long Count(HttpStatusCode status) => Latencies.TryGetValue(status, out var ticks) ? ticks.Length : 0;

        /// <summary>How many answers had any status not in <paramref name="statuses"/>.</summary>
        public long CountExcept(params HttpStatusCode[] statuses) => Latencies.Where(p => !statuses.Contains(p.Key)).Sum(p => (long)p.Value.Length);

        /// <summary>Sorted latencies of the answers with one of <paramref name="statuses"/> (all answers when none are given).</summary>
        public long[] Sorted(params HttpStatusCode[] statuses)
        {
            var ticks = Latencies.Where(p => statuses.Length == 0 || statuses.Contains(p.Key)).SelectMany(p => p.Value).ToArray();
            Array.Sort(ticks);
            return ticks;
        }
    }

    /// <summary>Runs <paramref name="connections"/> workers for <paramref name="duration"/>, each sending what <paramref name="request"/> makes.</summary>
    public static async Task<Outcome> RunAsync(
        int connections, TimeSpan duration, Func<HttpRequestMessage> request, CancellationToken cancellationToken)
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
            .Select(_ => Task.Run(() => WorkerAsync(client, request, stopAt, cancellationToken), cancellationToken))
            .ToArray();
        var results = await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);

        var latencies = results.SelectMany(r => r.Latencies).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.SelectMany(p => p.Value).ToArray());
        return new Outcome(elapsed, latencies, results.Sum(r => r.Failures));
    }

    /// <summary>The nearest-rank <paramref name="quantile"/> of sorted <see cref="Stopwatch"/> tick counts, as wrk reports it.</summary>
    public static TimeSpan Percentile(long[] sortedTicks, double quantile)
    {
        if (sortedTicks.Length == 0) return TimeSpan.Zero;
        var rank = (int)Math.Ceiling(quantile * sortedTicks.Length) - 1;
        var ticks = sortedTicks[Math.Clamp(rank, 0, sortedTicks.Length - 1)];
        return TimeSpan.FromSeconds((double)ticks / Stopwatch.Frequency);
    }

    private static async Task<(Dictionary<HttpStatusCode, List<long>> Latencies, long Failures)> WorkerAsync(
        HttpClient client, Func<HttpRequestMessage> request, long stopAt, CancellationToken cancellationToken)
    {
        var latencies = new Dictionary<HttpStatusCode, List<long>>();
        long failures = 0;
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var message = request();
            var sent = Stopwatch.GetTimestamp();
            try
            {
                using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
                var elapsed = Stopwatch.GetTimestamp() - sent;
                if (!latencies.TryGetValue(response.StatusCode, out var list)) latencies[response.StatusCode] = list = new List<long>(capacity: 1 << 14);
                list.Add(elapsed);
            }
            catch (HttpRequestException)
            {
                failures++;
            }
        }

        return (latencies, failures);
    }
}
