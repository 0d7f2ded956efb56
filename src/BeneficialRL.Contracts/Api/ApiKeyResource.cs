namespace BeneficialRL.Contracts.Api;

/// <summary>Body of <c>POST /api/v1/api-keys</c>: <see cref="Tenant"/> (operator admins only) creates a key in another tenant.</summary>
public sealed record CreateApiKeyRequest(string Name, IReadOnlyList<string> Scopes, string? Tenant = null);

/// <summary>A key as listings show it (never its secret).</summary>
public sealed record ApiKeyResource(string KeyId, string Tenant, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>A new key with its secret, which only this response ever shows.</summary>
public sealed record CreatedApiKeyResource(string KeyId, string Tenant, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, string Secret);
