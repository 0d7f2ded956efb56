namespace BeneficialRL.Contracts.Idempotency;

/// <summary>
/// Remembers the outcome of one POST made with an <c>Idempotency-Key</c> (grain key: tenant, route and
/// the client's key), so a retried request replays the first response instead of acting twice.
/// </summary>
public interface IIdempotencyGrain : IGrainWithStringKey
{
    /// <summary>Claims the key for a request whose body hashes to <paramref name="requestHash"/>.</summary>
    Task<IdempotencyClaim> TryBeginAsync(string requestHash, TimeSpan leaseDuration);

    /// <summary>Stores the response of the request that holds the claim.</summary>
    Task CompleteAsync(string requestHash, StoredResponse response);

    /// <summary>Releases the claim without a response (the request failed and may be retried).</summary>
    Task AbandonAsync(string requestHash);
}

/// <summary>Whether the caller may proceed, must wait, or receives a stored response.</summary>
public enum IdempotencyOutcome
{
    /// <summary>First use of the key: proceed, then call CompleteAsync or AbandonAsync.</summary>
    Proceed,
    /// <summary>Another request with the same key is still running.</summary>
    InProgress,
    /// <summary>The key was used before for this same request: replay <see cref="IdempotencyClaim.Response"/>.</summary>
    Replay,
    /// <summary>The key was used before for a different request body.</summary>
    Mismatch,
}

/// <summary>The answer to <see cref="IIdempotencyGrain.TryBeginAsync"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record IdempotencyClaim([property: Id(0)] IdempotencyOutcome Outcome, [property: Id(1)] StoredResponse? Response);

/// <summary>A response kept for replay.</summary>
[GenerateSerializer, Immutable]
public sealed record StoredResponse(
    [property: Id(0)] int StatusCode,
    [property: Id(1)] string? ContentType,
    [property: Id(2)] Dictionary<string, string> Headers,
    [property: Id(3)] byte[] Body);
