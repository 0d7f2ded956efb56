using BeneficialRL.Contracts.Catalog;
using BeneficialRL.Contracts.Resources;

namespace BeneficialRL.Grains.Catalog;

/// <summary>Helpers for grains keyed <c>{tenant}/{id}</c>.</summary>
internal static class GrainIdentity
{
    /// <summary>The tenant and id of a tenant-scoped grain.</summary>
    public static (string Tenant, string Id) TenantAndId(this Grain grain) => ResourceKey.Parse(grain.GetPrimaryKeyString());

    /// <summary>
    /// Lists a new resource in its tenant's index. Called before the resource's own state is written, so
    /// a crash in between leaves an index entry that listings skip, never an unlisted resource.
    /// </summary>
    public static Task IndexAsync(this IGrainFactory grains, string tenant, string kind, string id, DateTimeOffset createdAt) =>
        grains.GetGrain<IResourceIndexGrain>($"{tenant}/{kind}").AddAsync(id, createdAt);
}
