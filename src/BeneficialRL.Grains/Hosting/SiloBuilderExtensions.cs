using BeneficialRL.Grains.BenchmarkRuns;
using BeneficialRL.Grains.Placement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Orleans.Hosting;

/// <summary>What every BeneficialRL silo needs besides clustering and storage, which the host chooses.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>
    /// Publishes the silo's roles and name as Orleans silo metadata, registers the trainer-only placement
    /// filter, and the clock grains read.
    /// </summary>
    public static ISiloBuilder AddBeneficialRLGrains(this ISiloBuilder builder, string siloName, IReadOnlyList<string> roles)
    {
        builder.UseSiloMetadata(new Dictionary<string, string>
        {
            [SiloRoles.MetadataKey] = string.Join(',', roles),
            [SiloRoles.NameMetadataKey] = siloName,
        });
        builder.Services.AddPlacementFilter<TrainerPlacementFilterStrategy, TrainerPlacementFilterDirector>(ServiceLifetime.Transient);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<BenchmarkCatalogueProvider>();
        builder.Services.TryAddSingleton<BenchmarkResolver>();
        if (roles.Contains(SiloRoles.Trainer))
        {
            builder.Services.AddSingleton<EvaluationWorker>();
            builder.Services.AddHostedService(services => services.GetRequiredService<EvaluationWorker>());
        }

        return builder;
    }
}
