using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.Tenancy;

namespace BeneficialRL.Grains.Tenancy;

/// <summary>A tenant's directory of API keys.</summary>
public sealed class TenantKeysGrain(
    [PersistentState("keys", GrainStorageNames.Default)] IPersistentState<TenantKeysState> state,
    TimeProvider time) : Grain, ITenantKeysGrain
{
    /// <inheritdoc />
    public async Task<CreatedApiKey> CreateKeyAsync(string name, IReadOnlyList<string> scopes)
    {
        var tenant = this.GetPrimaryKeyString();
        if (!ResourceKey.IsValidTenant(tenant)) throw new ArgumentException($"'{tenant}' is not a valid tenant id.");
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A key needs a name.", nameof(name));
        if (scopes.Count == 0) throw new ArgumentException("A key needs at least one scope.", nameof(scopes));
        foreach (var scope in scopes) _ = ApiScopes.Satisfies([scope], ApiScopes.Read); // rejects unknown scopes

        var secret = ApiKeySecrets.Generate();
        var hash = ApiKeySecrets.Hash(secret);
        var record = new ApiKeyRecord
        {
            KeyId = ApiKeySecrets.KeyIdFromHash(hash),
            Tenant = tenant,
            Name = name.Trim(),
            Scopes = scopes.Distinct().ToList(),
            CreatedAt = time.GetUtcNow(),
            SecretHash = hash,
        };

        // The lookup record is written first: a key listed here always authenticates.
        await GrainFactory.GetGrain<IApiKeyGrain>(hash).CreateAsync(record);
        state.State.Keys.Add(record);
        await state.WriteStateAsync();
        return new CreatedApiKey(record, secret);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiKeyRecord>> ListAsync() => Task.FromResult<IReadOnlyList<ApiKeyRecord>>(state.State.Keys.ToList());

    /// <inheritdoc />
    public async Task<ApiKeyRecord?> RevokeAsync(string keyId)
    {
        var index = state.State.Keys.FindIndex(k => k.KeyId == keyId);
        if (index < 0) return null;
        var revoked = await GrainFactory.GetGrain<IApiKeyGrain>(state.State.Keys[index].SecretHash).RevokeAsync(time.GetUtcNow());
        state.State.Keys[index] = revoked;
        await state.WriteStateAsync();
        return revoked;
    }
}

/// <summary>Persisted state of <see cref="TenantKeysGrain"/>.</summary>
[GenerateSerializer]
public sealed class TenantKeysState
{
    /// <summary>Every key the tenant has created.</summary>
    [Id(0)] public List<ApiKeyRecord> Keys { get; set; } = [];
}
