using BeneficialRL.Contracts.Idempotency;
using BeneficialRL.Contracts.Tenancy;

namespace BeneficialRL.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class TenancyGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task CreateKey_StoresOnlyTheHash_AndRevocationReachesTheLookupGrain()
    {
        var tenant = $"t-{Guid.NewGuid():N}"[..16];
        var keys = fixture.Client.GetGrain<ITenantKeysGrain>(tenant);
        var created = await keys.CreateKeyAsync("ci", [ApiScopes.Read, ApiScopes.Write]);

        Assert.StartsWith(ApiKeySecrets.Prefix, created.Secret);
        Assert.Equal(ApiKeySecrets.Hash(created.Secret), created.Record.SecretHash);
        Assert.DoesNotContain(created.Secret, System.Text.Json.JsonSerializer.Serialize(await keys.ListAsync()));

        var lookup = fixture.Client.GetGrain<IApiKeyGrain>(ApiKeySecrets.Hash(created.Secret));
        Assert.Equal(tenant, (await lookup.GetAsync())!.Tenant);
        await keys.RevokeAsync(created.Record.KeyId);
        Assert.NotNull((await lookup.GetAsync())!.RevokedAt);
        Assert.Null(await keys.RevokeAsync("key_unknown"));
    }

    [Fact]
    public async Task CreateKey_WithUnknownScope_Throws()
    {
        var keys = fixture.Client.GetGrain<ITenantKeysGrain>("scopes-tenant");
        await Assert.ThrowsAsync<ArgumentException>(() => keys.CreateKeyAsync("x", ["root"]));
    }

    [Fact]
    public async Task Idempotency_ProceedThenReplay_MismatchForOtherBodies_LeaseExpiresForAbandonedClaims()
    {
        var grain = fixture.Client.GetGrain<IIdempotencyGrain>(Guid.NewGuid().ToString("N"));
        Assert.Equal(IdempotencyOutcome.Proceed, (await grain.TryBeginAsync("h1", TimeSpan.FromMinutes(5))).Outcome);
        Assert.Equal(IdempotencyOutcome.InProgress, (await grain.TryBeginAsync("h1", TimeSpan.FromMinutes(5))).Outcome);
        Assert.Equal(IdempotencyOutcome.Mismatch, (await grain.TryBeginAsync("h2", TimeSpan.FromMinutes(5))).Outcome);

        var response = new StoredResponse(201, "application/json", new Dictionary<string, string> { ["Location"] = "/x" }, [1, 2, 3]);
        await grain.CompleteAsync("h1", response);
        var replay = await grain.TryBeginAsync("h1", TimeSpan.FromMinutes(5));
        Assert.Equal(IdempotencyOutcome.Replay, replay.Outcome);
        Assert.Equal(response.Body, replay.Response!.Body);

        var stuck = fixture.Client.GetGrain<IIdempotencyGrain>(Guid.NewGuid().ToString("N"));
        await stuck.TryBeginAsync("h", TimeSpan.FromMinutes(1));
        fixture.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(IdempotencyOutcome.Proceed, (await stuck.TryBeginAsync("h", TimeSpan.FromMinutes(1))).Outcome);
    }
}
