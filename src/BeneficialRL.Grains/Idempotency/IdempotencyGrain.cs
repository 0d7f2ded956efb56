using BeneficialRL.Contracts.Idempotency;

namespace BeneficialRL.Grains.Idempotency;

/// <summary>
/// Remembers one idempotent POST. The claim is a lease, so a request that died without completing or
/// abandoning does not lock the key forever.
/// </summary>
public sealed class IdempotencyGrain(
    [PersistentState("request", GrainStorageNames.Default)] IPersistentState<IdempotencyState> state,
    TimeProvider time) : Grain, IIdempotencyGrain
{
    /// <inheritdoc />
    public async Task<IdempotencyClaim> TryBeginAsync(string requestHash, TimeSpan leaseDuration)
    {
        var now = time.GetUtcNow();
        var current = state.State;
        if (current.RequestHash is not null && current.RequestHash != requestHash) return new IdempotencyClaim(IdempotencyOutcome.Mismatch, null);
        if (current.Response is not null) return new IdempotencyClaim(IdempotencyOutcome.Replay, current.Response);
        if (current.RequestHash is not null && current.LeaseUntil > now) return new IdempotencyClaim(IdempotencyOutcome.InProgress, null);

        current.RequestHash = requestHash;
        current.LeaseUntil = now + leaseDuration;
        await state.WriteStateAsync();
        return new IdempotencyClaim(IdempotencyOutcome.Proceed, null);
    }

    /// <inheritdoc />
    public async Task CompleteAsync(string requestHash, StoredResponse response)
    {
        if (state.State.RequestHash != requestHash) throw new InvalidOperationException("This request does not hold the idempotency key.");
        state.State.Response = response;
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public async Task AbandonAsync(string requestHash)
    {
        if (state.State.RequestHash != requestHash || state.State.Response is not null) return;
        await state.ClearStateAsync();
    }
}

/// <summary>Persisted state of <see cref="IdempotencyGrain"/>.</summary>
[GenerateSerializer]
public sealed class IdempotencyState
{
    /// <summary>Hash of the method, path and body of the request that owns the key.</summary>
    [Id(0)] public string? RequestHash { get; set; }
    /// <summary>Until when an unfinished request holds the key.</summary>
    [Id(1)] public DateTimeOffset LeaseUntil { get; set; }
    /// <summary>The response to replay, once complete.</summary>
    [Id(2)] public StoredResponse? Response { get; set; }
}
