namespace BeneficialRL.Contracts.Tenancy;

/// <summary>What an API key may do. Scopes are ordered: <c>admin</c> includes <c>write</c>, which includes <c>read</c>.</summary>
public static class ApiScopes
{
    /// <summary>Read resources.</summary>
    public const string Read = "read";
    /// <summary>Create and change resources.</summary>
    public const string Write = "write";
    /// <summary>Manage API keys.</summary>
    public const string Admin = "admin";

    /// <summary>All scopes, weakest first.</summary>
    public static readonly IReadOnlyList<string> All = [Read, Write, Admin];

    /// <summary>True when a key holding <paramref name="granted"/> satisfies <paramref name="required"/>.</summary>
    public static bool Satisfies(IEnumerable<string> granted, string required)
    {
        var needed = Rank(required);
        return granted.Any(g => Rank(g) >= needed);
    }

    private static int Rank(string scope) => scope switch
    {
        Read => 0,
        Write => 1,
        Admin => 2,
        _ => throw new ArgumentException($"Unknown scope '{scope}'; expected one of {string.Join(", ", All)}.", nameof(scope)),
    };
}

/// <summary>A stored API key: never the secret itself, only its SHA-256 (the grain key of <see cref="IApiKeyGrain"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record ApiKeyRecord
{
    /// <summary>Public identifier of the key, safe to show and to use when revoking.</summary>
    [Id(0)] public required string KeyId { get; init; }
    /// <summary>The tenant the key belongs to.</summary>
    [Id(1)] public required string Tenant { get; init; }
    /// <summary>A human label.</summary>
    [Id(2)] public required string Name { get; init; }
    /// <summary>Granted scopes.</summary>
    [Id(3)] public required List<string> Scopes { get; init; }
    /// <summary>When the key was created.</summary>
    [Id(4)] public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>When the key was revoked, if it was.</summary>
    [Id(5)] public DateTimeOffset? RevokedAt { get; init; }
    /// <summary>Lowercase hex SHA-256 of the secret.</summary>
    [Id(6)] public required string SecretHash { get; init; }
}

/// <summary>One API key, keyed by the lowercase hex SHA-256 of its secret, so a presented key is found without storing it.</summary>
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>Returns the key's record, or null when no key has this hash.</summary>
    Task<ApiKeyRecord?> GetAsync();

    /// <summary>Stores a new key; fails with <see cref="Resources.ResourceAlreadyExistsException"/> if the hash is taken.</summary>
    Task CreateAsync(ApiKeyRecord record);

    /// <summary>Marks the key revoked (idempotent) and returns the updated record.</summary>
    Task<ApiKeyRecord> RevokeAsync(DateTimeOffset at);
}

/// <summary>A tenant's directory of API keys (key <c>{tenant}</c>): lists them and revokes them by public id.</summary>
public interface ITenantKeysGrain : IGrainWithStringKey
{
    /// <summary>Creates a key with the given scopes and returns the record and the secret, which is shown only once.</summary>
    Task<CreatedApiKey> CreateKeyAsync(string name, IReadOnlyList<string> scopes);

    /// <summary>Lists the tenant's keys, revoked ones included.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListAsync();

    /// <summary>Revokes a key by its public id; returns null when the tenant has no such key.</summary>
    Task<ApiKeyRecord?> RevokeAsync(string keyId);
}

/// <summary>A newly created key: the only time its secret is available.</summary>
[GenerateSerializer, Immutable]
public sealed record CreatedApiKey([property: Id(0)] ApiKeyRecord Record, [property: Id(1)] string Secret);
