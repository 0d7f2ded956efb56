using System.Diagnostics.CodeAnalysis;
using BeneficialRL.Contracts.Cluster;
using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace BeneficialRL.Grains.Placement;

/// <summary>
/// Places a grain only on silos whose metadata lists the <c>trainer</c> role. The built-in metadata
/// filters match the <em>caller's</em> metadata, which is wrong here: an API silo must be able to
/// activate a training grain on another silo.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class TrainerPlacementFilterAttribute() : PlacementFilterAttribute(new TrainerPlacementFilterStrategy());

/// <summary>The strategy object Orleans stores in the grain type's properties.</summary>
public sealed class TrainerPlacementFilterStrategy() : PlacementFilterStrategy(order: 0);

/// <summary>Keeps only trainer silos; when none is in the cluster, placement fails with a clear message.</summary>
[SuppressMessage("Performance", "CA1812", Justification = "Created by dependency injection.")]
internal sealed class TrainerPlacementFilterDirector(ISiloMetadataCache metadata) : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos) =>
        SelectTrainers(silos, silo => metadata.GetSiloMetadata(silo).Metadata.GetValueOrDefault(SiloRoles.MetadataKey), target.GrainIdentity.ToString());

    /// <summary>The silos whose roles (as <paramref name="rolesOf"/> reads them) include trainer.</summary>
    internal static IReadOnlyList<SiloAddress> SelectTrainers(IEnumerable<SiloAddress> silos, Func<SiloAddress, string?> rolesOf, string grain)
    {
        var trainers = silos.Where(silo => SiloRoles.Has(rolesOf(silo), SiloRoles.Trainer)).ToList();
        if (trainers.Count == 0)
        {
            throw new OrleansException($"No silo with the '{SiloRoles.Trainer}' role is active, so {grain} cannot be placed. Start a trainer silo (Silo:Roles=trainer).");
        }

        return trainers;
    }
}
