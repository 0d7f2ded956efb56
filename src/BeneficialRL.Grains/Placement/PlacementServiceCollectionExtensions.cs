using BeneficialRL.Grains.Placement;
using Orleans.Placement;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers BeneficialRL's placement filters.</summary>
public static class PlacementServiceCollectionExtensions
{
    /// <summary>Adds the trainer-only placement filter used by training and evaluation grains.</summary>
    public static IServiceCollection AddTrainerPlacement(this IServiceCollection services) =>
        services.AddPlacementFilter<TrainerPlacementFilterStrategy, TrainerPlacementFilterDirector>(ServiceLifetime.Transient);
}
