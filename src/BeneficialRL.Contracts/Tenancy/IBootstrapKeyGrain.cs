namespace BeneficialRL.Contracts.Tenancy;

/// <summary>
/// The operator tenant's bootstrap key (grain key: the operator tenant id): rotates it and remembers which key is the
/// current one, so each rotation revokes its predecessor.
/// </summary>
public interface IBootstrapKeyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Issues a new key with every scope for the operator tenant, then revokes the previous rotated key (if any) and
    /// retires the configured bootstrap key whose hash is <paramref name="configuredKeyHash"/> (stored as a revoked key,
    /// so it is refused from then on although it is still configured). Returns the new key and its secret, shown only once.
    /// </summary>
    Task<RotatedBootstrapKey> RotateAsync(string? configuredKeyHash);
}

/// <summary>The outcome of a rotation: the new key with its secret, and the ids of the keys it revoked.</summary>
[GenerateSerializer, Immutable]
public sealed record RotatedBootstrapKey(
    [property: Id(0)] CreatedApiKey Created,
    [property: Id(1)] IReadOnlyList<string> RevokedKeyIds);
