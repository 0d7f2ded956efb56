using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.Tenancy;

namespace BeneficialRL.Grains.Tenancy;

/// <summary>One API key, found by the hash of its secret.</summary>
public sealed class ApiKeyGrain(
    [PersistentState("key", GrainStorageNames.Default)] IPersistentState<ApiKeyState> state) : Grain, IApiKeyGrain
{
    /// <inheritdoc />
    public Task<ApiKeyRecord?> GetAsync() => Task.FromResult(state.State.Record);

    /// <inheritdoc />
    public async Task CreateAsync(ApiKeyRecord record)
    {
        if (record.SecretHash != this.GetPrimaryKeyString()) throw new ArgumentException("The record's hash does not match this key's grain id.", nameof(record));
        if (state.State.Record is not null) throw new ResourceAlreadyExistsException("An API key with this secret already exists.");
        state.State.Record = record;
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public async Task<ApiKeyRecord> RevokeAsync(DateTimeOffset at)
    {
        var record = state.State.Record ?? throw new ResourceNotFoundException("No such API key.");
        if (record.RevokedAt is not null) return record;
        state.State.Record = record with { RevokedAt = at };
        await state.WriteStateAsync();
        return state.State.Record;
    }
}

/// <summary>Persisted state of <see cref="ApiKeyGrain"/>.</summary>
[GenerateSerializer]
public sealed class ApiKeyState
{
    /// <summary>The key, once created.</summary>
    [Id(0)] public ApiKeyRecord? Record { get; set; }
}
