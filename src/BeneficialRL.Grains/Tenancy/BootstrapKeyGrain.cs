using BeneficialRL.Contracts.Tenancy;

namespace BeneficialRL.Grains.Tenancy;

/// <summary>Rotates the operator tenant's bootstrap key; its state names the key the last rotation issued.</summary>
public sealed class BootstrapKeyGrain(
    [PersistentState("bootstrap", GrainStorageNames.Default)] IPersistentState<BootstrapKeyState> state,
    TimeProvider time) : Grain, IBootstrapKeyGrain
{
    /// <inheritdoc />
    public async Task<RotatedBootstrapKey> RotateAsync(string? configuredKeyHash)
    {
        var tenant = this.GetPrimaryKeyString();
        var keys = GrainFactory.GetGrain<ITenantKeysGrain>(tenant);
        // The new key exists before anything is revoked: a failure part-way leaves the operator a working key to retry with.
        var created = await keys.CreateKeyAsync("bootstrap (rotated)", ApiScopes.All);
        var revoked = new List<string>();

        if (state.State.CurrentKeyId is { } previous && await keys.RevokeAsync(previous) is not null) revoked.Add(previous);

        if (configuredKeyHash is not null)
        {
            var lookup = GrainFactory.GetGrain<IApiKeyGrain>(configuredKeyHash);
            var existing = await lookup.GetAsync();
            if (existing is null)
            {
                // The configured key never had a record (it is accepted from configuration): a revoked one makes the
                // authentication handler refuse it on every silo, for as long as the configuration still names it.
                var now = time.GetUtcNow();
                await lookup.CreateAsync(new ApiKeyRecord
                {
                    KeyId = ApiKeySecrets.KeyIdFromHash(configuredKeyHash),
                    Tenant = tenant,
                    Name = "bootstrap (configured)",
                    Scopes = [.. ApiScopes.All],
                    CreatedAt = now,
                    RevokedAt = now,
                    SecretHash = configuredKeyHash,
                });
                revoked.Add(ApiKeySecrets.KeyIdFromHash(configuredKeyHash));
            }
            else if (existing.RevokedAt is null && existing.Tenant == tenant)
            {
                // The configuration names an issued key (e.g. a rotated one copied into it): revoke it through the directory.
                await keys.RevokeAsync(existing.KeyId);
                if (!revoked.Contains(existing.KeyId)) revoked.Add(existing.KeyId);
            }
        }

        state.State.CurrentKeyId = created.Record.KeyId;
        state.State.RotatedAt = time.GetUtcNow();
        await state.WriteStateAsync();
        return new RotatedBootstrapKey(created, revoked);
    }
}

/// <summary>Persisted state of <see cref="BootstrapKeyGrain"/>.</summary>
[GenerateSerializer]
public sealed class BootstrapKeyState
{
    /// <summary>The id of the key the last rotation issued; null before the first.</summary>
    [Id(0)] public string? CurrentKeyId { get; set; }

    /// <summary>When the last rotation happened.</summary>
    [Id(1)] public DateTimeOffset? RotatedAt { get; set; }
}
