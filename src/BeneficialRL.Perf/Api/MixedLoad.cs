using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace BeneficialRL.Perf.Api;

/// <summary>
/// A closed-loop mix of everyday API requests, for watching the silo's working set under a long run: of every 20
/// requests, 10 read a known experiment, 3 list experiments, 3 ask for an unknown one (404), 3 send bad input (400: a
/// page size out of range or malformed JSON) and 1 creates a record-only experiment (<c>{"name":…}</c>) until
/// <c>maxCreates</c> exist, a read after that. The unknown ids come from a fixed pool of 64, so 404s reuse
/// activations rather than measure how many distinct ids a client can make the silo activate. Batches continue one
/// sequence, so a warm-up batch and the measured batches share the creates budget.
/// </summary>
public sealed class MixedLoad : IDisposable
{
    private const int UnknownIds = 64;
    private const int SampleLimit = 5;
    private static readonly string[] Kinds = ["read", "create", "list", "404", "bad input"];

    private readonly HttpClient _client;
    private readonly int _connections;
    private readonly int _maxCreates;
    private readonly List<string> _knownIds;
    private long _next;
    private int _creates;

    /// <summary>A mix against the silo at <paramref name="baseAddress"/>, reading <paramref name="knownIds"/> and the experiments it creates.</summary>
    public MixedLoad(Uri baseAddress, string apiKey, int connections, int maxCreates, IEnumerable<string> knownIds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(connections, 1);
        _connections = connections;
        _maxCreates = maxCreates;
        _knownIds = [.. knownIds];
        if (_knownIds.Count == 0) throw new ArgumentException("The mix needs at least one existing experiment to read.", nameof(knownIds));
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
        };
        _client = new HttpClient(handler, disposeHandler: true) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    }

    /// <summary>Experiments created so far by this mix.</summary>
    public int Created => Math.Min(Volatile.Read(ref _creates), _maxCreates);

    /// <summary>Sends the next <paramref name="requests"/> requests of the sequence over the mix's connections.</summary>
    public async Task<MixedLoadResult> RunAsync(int requests, CancellationToken cancellationToken)
    {
        var end = Interlocked.Read(ref _next) + requests;
        var counts = new long[Kinds.Length];
        long unexpected = 0;
        var samples = new List<string>();
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, _connections).Select(_ => Task.Run(async () =>
        {
            long index;
            while ((index = Interlocked.Increment(ref _next) - 1) < end)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (kind, problem) = await SendAsync(index, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref counts[kind]);
                if (problem is null) continue;
                Interlocked.Increment(ref unexpected);
                lock (samples)
                {
                    if (samples.Count < SampleLimit) samples.Add(problem);
                }
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        // Workers overshoot the counter by one each when they stop; the next batch starts where this one ended.
        Interlocked.Exchange(ref _next, end);
        var byKind = Kinds.Select((name, i) => (name, counts[i])).ToDictionary(p => p.name, p => p.Item2, StringComparer.Ordinal);
        return new MixedLoadResult(requests, Stopwatch.GetElapsedTime(started), byKind, unexpected, samples);
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private async Task<(int Kind, string? Problem)> SendAsync(long index, CancellationToken cancellationToken)
    {
        var slot = (int)(index % 20);
        try
        {
            switch (slot)
            {
                case 17 when Interlocked.Increment(ref _creates) <= _maxCreates:
                    return (1, await CreateAsync(index, cancellationToken).ConfigureAwait(false));
                case >= 8 and <= 10:
                    return (2, await ExpectAsync(HttpMethod.Get, "api/v1/experiments?limit=20", null, HttpStatusCode.OK, cancellationToken).ConfigureAwait(false));
                case >= 11 and <= 13:
                    var missing = string.Create(CultureInfo.InvariantCulture, $"api/v1/experiments/missing-{index % UnknownIds}");
                    return (3, await ExpectAsync(HttpMethod.Get, missing, null, HttpStatusCode.NotFound, cancellationToken).ConfigureAwait(false));
                case >= 14 and <= 16 when index / 20 % 2 == 0:
                    return (4, await ExpectAsync(HttpMethod.Get, "api/v1/experiments?limit=0", null, HttpStatusCode.BadRequest, cancellationToken).ConfigureAwait(false));
                case >= 14 and <= 16:
                    using (var malformed = new StringContent("{\"name\":", Encoding.UTF8, "application/json"))
                    {
                        return (4, await ExpectAsync(HttpMethod.Post, "api/v1/experiments", malformed, HttpStatusCode.BadRequest, cancellationToken).ConfigureAwait(false));
                    }

                default:
                    string id;
                    lock (_knownIds)
                    {
                        id = _knownIds[(int)(index % _knownIds.Count)];
                    }

                    return (0, await ExpectAsync(HttpMethod.Get, $"api/v1/experiments/{Uri.EscapeDataString(id)}", null, HttpStatusCode.OK, cancellationToken).ConfigureAwait(false));
            }
        }
        catch (HttpRequestException e)
        {
            return (slot == 17 ? 1 : 0, $"request {index}: {e.Message}");
        }
    }

    private async Task<string?> CreateAsync(long index, CancellationToken cancellationToken)
    {
        using var response = await _client.PostAsJsonAsync("api/v1/experiments", new { name = $"mixed-{index}" }, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created) return $"POST api/v1/experiments answered {(int)response.StatusCode}: {Truncate(body)}";
        using var document = JsonDocument.Parse(body);
        if (document.RootElement.GetProperty("id").GetString() is { } id)
        {
            lock (_knownIds)
            {
                _knownIds.Add(id);
            }
        }

        return null;
    }

    private async Task<string?> ExpectAsync(HttpMethod method, string path, HttpContent? content, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == expected) return null;
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return $"{method} {path} answered {(int)response.StatusCode}, expected {(int)expected}: {Truncate(body)}";
    }

    private static string Truncate(string body) => body.Length <= 200 ? body : body[..200] + "…";
}
