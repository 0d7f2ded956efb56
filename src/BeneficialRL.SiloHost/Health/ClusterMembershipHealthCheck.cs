using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace BeneficialRL.SiloHost.Health;

/// <summary>Ready only when this silo is an active member of the cluster.</summary>
public sealed class ClusterMembershipHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = membership.CurrentSnapshot;
        var status = snapshot.GetSiloStatus(silo.SiloAddress);
        var active = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"Silo {silo.Name} is active; {active} active silo(s) in the cluster.")
            : HealthCheckResult.Unhealthy($"Silo {silo.Name} is {status} in the cluster, not active."));
    }
}
