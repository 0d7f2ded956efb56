using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace BeneficialRL.SiloHost.Limits;

/// <summary>
/// Caps the inference requests a tenant has running at once on this API silo (<see cref="RateLimitOptions.InferenceRequestsPerTenant"/>):
/// past it the OpenAI-compatible routes answer 429 with <c>Retry-After</c>, so one tenant cannot queue unbounded work on the trainers.
/// </summary>
public sealed class InferenceAdmission(IOptions<RateLimitOptions> options)
{
    private readonly ConcurrentDictionary<string, int> _running = new(StringComparer.Ordinal);

    /// <summary>Requests a tenant may have running (0 = unlimited).</summary>
    public int Limit => options.Value.InferenceRequestsPerTenant;

    /// <summary>A slot for <paramref name="tenant"/> (dispose it when the request ends), or null when the tenant is at its limit.</summary>
    public IDisposable? TryEnter(string tenant)
    {
        var limit = Limit;
        while (true)
        {
            var current = _running.GetOrAdd(tenant, 0);
            if (limit > 0 && current >= limit) return null;
            if (_running.TryUpdate(tenant, current + 1, current)) return new Slot(this, tenant);
        }
    }

    private void Exit(string tenant) => _running.AddOrUpdate(tenant, 0, (_, n) => Math.Max(0, n - 1));

    private sealed class Slot(InferenceAdmission owner, string tenant) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Exit(tenant);
        }
    }
}
