using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace BeneficialRL.SiloHost.Auth;

/// <summary>
/// Keeps refused keys away from Orleans: remembers the hashes of recently refused keys (bounded in count and time;
/// only refusals, so a revoked key is refused at once and a new key works at once) and counts failed authentications
/// per client address, so a flood of distinct unknown keys stops reaching the key grains after
/// <see cref="AuthOptions.FailedAttemptsPerAddress"/>. A key that passed its check recently is not throttled: a flood of
/// bad keys from a shared address (a NAT, a proxy) must not lock out the valid keys behind it. Counts what it does
/// (also as metrics on the <c>BeneficialRL</c> meter).
/// </summary>
public sealed class ApiKeyGuard : IDisposable
{
    private readonly MemoryCache _refused;
    private readonly MemoryCache _accepted;
    private readonly TimeSpan _outageTolerance;
    private readonly TimeSpan _acceptanceLifetime;
    private readonly TimeProvider _time;
    private readonly PartitionedRateLimiter<string>? _failuresByAddress;
    private readonly TimeSpan _refusalLifetime;
    private readonly TimeSpan _failureWindow;
    private readonly Counter<long> _lookupCounter;
    private readonly Counter<long> _refusalCounter;
    private long _keyLookups;
    private long _negativeCacheHits;
    private long _throttledAttempts;

    /// <summary>Creates the guard from the <c>Auth</c> options.</summary>
    public ApiKeyGuard(IOptions<AuthOptions> options, IMeterFactory meters, TimeProvider? time = null)
    {
        var auth = options.Value;
        _time = time ?? TimeProvider.System;
        _refused = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, auth.NegativeCacheSize) });
        _refusalLifetime = auth.NegativeCacheDuration;
        _accepted = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, auth.NegativeCacheSize) });
        _outageTolerance = auth.KeyOutageTolerance;
        _failureWindow = auth.FailedAttemptWindow;
        _acceptanceLifetime = auth.KeyOutageTolerance > auth.FailedAttemptWindow ? auth.KeyOutageTolerance : auth.FailedAttemptWindow;
        if (auth.FailedAttemptsPerAddress > 0)
        {
            _failuresByAddress = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = auth.FailedAttemptsPerAddress,
                Window = auth.FailedAttemptWindow,
                QueueLimit = 0,
            }));
        }

        var meter = meters.Create(ServiceDefaultsExtensions.TelemetryName);
        _lookupCounter = meter.CreateCounter<long>("beneficialrl.auth.key_lookups", description: "API keys looked up in their grain.");
        _refusalCounter = meter.CreateCounter<long>("beneficialrl.auth.refusals", description: "Refused authentications, by reason.");
    }

    /// <summary>How many presented keys were looked up in their grain.</summary>
    public long KeyLookups => Interlocked.Read(ref _keyLookups);

    /// <summary>How many presented keys were refused from the cache of recent refusals, without a grain call.</summary>
    public long NegativeCacheHits => Interlocked.Read(ref _negativeCacheHits);

    /// <summary>How many authentication attempts got 429 because their address failed too often.</summary>
    public long ThrottledAttempts => Interlocked.Read(ref _throttledAttempts);

    /// <summary>True when <paramref name="address"/> used up its failed attempts; <paramref name="retryAfter"/> says for how long.</summary>
    public bool IsThrottled(string address, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_failuresByAddress is null) return false;
        // Zero permits asks "any left?" without spending one: only failures spend.
        using var lease = _failuresByAddress.AttemptAcquire(address, 0);
        if (lease.IsAcquired) return false;
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : _failureWindow;
        Interlocked.Increment(ref _throttledAttempts);
        _refusalCounter.Add(1, new KeyValuePair<string, object?>("reason", "throttled"));
        return true;
    }

    /// <summary>The reason a key with this hash was refused recently, or null.</summary>
    public string? RecallRefusal(string keyHash)
    {
        if (!_refused.TryGetValue(keyHash, out string? reason)) return null;
        Interlocked.Increment(ref _negativeCacheHits);
        _refusalCounter.Add(1, new KeyValuePair<string, object?>("reason", "cached"));
        return reason;
    }

    /// <summary>Counts one lookup of a presented key in its grain.</summary>
    public void CountLookup()
    {
        Interlocked.Increment(ref _keyLookups);
        _lookupCounter.Add(1);
    }

    /// <summary>Spends one of <paramref name="address"/>'s failed attempts.</summary>
    public void CountFailure(string address, string reason)
    {
        _refusalCounter.Add(1, new KeyValuePair<string, object?>("reason", reason));
        _failuresByAddress?.AttemptAcquire(address, 1).Dispose();
    }

    /// <summary>Remembers that the key with this hash was refused (unknown or revoked: neither ever turns valid again).</summary>
    public void RememberRefusal(string keyHash, string reason) =>
        _refused.Set(keyHash, reason, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _refusalLifetime });

    /// <summary>
    /// Forgets a refusal, for a key just created with this hash. A fresh random secret is never presented before it
    /// exists, so this is belt and braces for this silo; other silos' caches expire within <see cref="AuthOptions.NegativeCacheDuration"/>.
    /// </summary>
    public void Forget(string keyHash) => _refused.Remove(keyHash);

    /// <summary>
    /// Remembers a key that just passed its check: for <see cref="RecallAcceptance"/> during an outage, and so that
    /// <see cref="PassedRecently"/> exempts it from its address's throttle.
    /// </summary>
    public void RememberAcceptance(string keyHash, AcceptedKey key) =>
        _accepted.Set(keyHash, new Acceptance(key, _time.GetUtcNow()), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _acceptanceLifetime });

    /// <summary>The last successful check of the key with this hash, within <see cref="AuthOptions.KeyOutageTolerance"/>; null otherwise.</summary>
    public AcceptedKey? RecallAcceptance(string keyHash) =>
        _outageTolerance > TimeSpan.Zero && _accepted.TryGetValue(keyHash, out Acceptance? acceptance) && _time.GetUtcNow() - acceptance!.At <= _outageTolerance ? acceptance.Key : null;

    /// <summary>
    /// Whether the key with this hash passed its check on this silo within the longer of
    /// <see cref="AuthOptions.FailedAttemptWindow"/> and <see cref="AuthOptions.KeyOutageTolerance"/>: such a key is
    /// still checked in its grain (a revocation applies at once), but its address's failures do not throttle it.
    /// </summary>
    public bool PassedRecently(string keyHash) => _accepted.TryGetValue(keyHash, out Acceptance? _);

    /// <inheritdoc />
    public void Dispose()
    {
        _accepted.Dispose();
        _refused.Dispose();
        _failuresByAddress?.Dispose();
    }
}

/// <summary>A successful key check and when it happened.</summary>
internal sealed record Acceptance(AcceptedKey Key, DateTimeOffset At);

/// <summary>What a successful key check established: the key's tenant, id and scopes.</summary>
public sealed record AcceptedKey(string Tenant, string KeyId, IReadOnlyList<string> Scopes);
