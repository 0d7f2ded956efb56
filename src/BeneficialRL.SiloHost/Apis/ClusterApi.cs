using BeneficialRL.Contracts.Cluster;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace BeneficialRL.SiloHost.Apis;

/// <summary>What the cluster looks like: silos, their roles and status.</summary>
public static class ClusterApi
{
    /// <summary>Maps <c>GET /api/v1/cluster</c>.</summary>
    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/cluster", GetAsync).WithTags("Cluster").WithName("GetCluster")
            .WithSummary("List the active silos with their roles").RequireAuthorization("read");
        return routes;
    }

    /// <summary>The cluster as the API shows it.</summary>
    public sealed record ClusterResource(IReadOnlyList<ClusterMemberResource> Silos);

    /// <summary>One member silo of the cluster: name, address, roles and membership status.</summary>
    public sealed record ClusterMemberResource(string Name, string Address, IReadOnlyList<string> Roles, string Status, DateTimeOffset StartedAt);

    /// <summary>
    /// True when an active silo has the trainer role. Checked before creating trainer-placed work, because
    /// Orleans retries a failed placement until the call times out instead of failing fast.
    /// </summary>
    public static async Task<bool> HasActiveTrainerAsync(IGrainFactory grains, ISiloMetadataCache metadata)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        return hosts.Keys.Any(silo => SiloRoles.Has(metadata.GetSiloMetadata(silo).Metadata.GetValueOrDefault(SiloRoles.MetadataKey), SiloRoles.Trainer));
    }

    private static async Task<ClusterResource> GetAsync(IGrainFactory grains, ISiloMetadataCache metadata)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true);
        var silos = hosts.Select(h =>
        {
            var roles = metadata.GetSiloMetadata(h.SiloAddress).Metadata.GetValueOrDefault(SiloRoles.MetadataKey) ?? string.Empty;
            return new ClusterMemberResource(h.SiloName, h.SiloAddress.ToParsableString(), roles.Split(',', StringSplitOptions.RemoveEmptyEntries), h.Status.ToString(),
                new DateTimeOffset(DateTime.SpecifyKind(h.StartTime, DateTimeKind.Utc)));
        }).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        return new ClusterResource(silos);
    }
}
