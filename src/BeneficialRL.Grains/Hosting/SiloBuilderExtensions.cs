using BeneficialRL.Contracts.Cluster;
using BeneficialRL.Experiments.Jobs;
using BeneficialRL.Grains.BenchmarkRuns;
using BeneficialRL.Grains.Experiments;
using BeneficialRL.Grains.Hosting;
using BeneficialRL.Grains.Inference;
using BeneficialRL.Grains.Durability;
using BeneficialRL.Grains.Placement;
using BeneficialRL.Grains.Telemetry;
using BeneficialRL.Grains.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Orleans.Hosting;

/// <summary>What every BeneficialRL silo needs besides clustering and storage, which the host chooses.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>
    /// Publishes the silo's roles and name as Orleans silo metadata, registers the trainer-only placement
    /// filter, the least-busy-trainer placement of work items, the filter that turns transient infrastructure failures
    /// into a retryable exception callers can read, and the clock grains read.
    /// </summary>
    /// <param name="builder">The silo.</param>
    /// <param name="siloName">Name published in the silo metadata.</param>
    /// <param name="roles">Roles (<c>api</c>, <c>trainer</c>).</param>
    /// <param name="reminderPeriod">Period of the recovery reminders, overriding the <c>Recovery</c> settings (default one minute); below a minute Orleans' minimum is lowered to match.</param>
    public static ISiloBuilder AddBeneficialRLGrains(this ISiloBuilder builder, string siloName, IReadOnlyList<string> roles, TimeSpan? reminderPeriod = null)
    {
        if (reminderPeriod is { } period) builder.Services.Configure<RecoveryOptions>(o => o.ReminderPeriod = period);
        builder.Services.AddOptions<ReminderOptions>().Configure<IOptions<RecoveryOptions>>((reminders, recovery) =>
        {
            if (recovery.Value.ReminderPeriod < reminders.MinimumReminderPeriod) reminders.MinimumReminderPeriod = recovery.Value.ReminderPeriod;
        });
        builder.UseSiloMetadata(new Dictionary<string, string>
        {
            [SiloRoles.MetadataKey] = string.Join(',', roles),
            [SiloRoles.NameMetadataKey] = siloName,
        });
        builder.Services.AddPlacementFilter<TrainerPlacementFilterStrategy, TrainerPlacementFilterDirector>(ServiceLifetime.Transient);
        // Work items go to the least busy trainer, which every silo's workload service reports (0 where nothing trains).
        builder.AddGrainService<TrainerWorkloadService>();
        builder.Services.AddSingleton<ITrainerWorkloadClient, TrainerWorkloadClient>();
        builder.Services.AddPlacementDirector<LeastBusyTrainerPlacementStrategy, LeastBusyTrainerPlacementDirector>();
        builder.AddIncomingGrainCallFilter<TransientFailureCallFilter>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<BenchmarkCatalogueProvider>();
        builder.Services.TryAddSingleton<BenchmarkResolver>();
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<WorkMetrics>();
        if (roles.Contains(SiloRoles.Trainer))
        {
            builder.Services.AddSingleton<EvaluationWorker>();
            builder.Services.AddHostedService(services => services.GetRequiredService<EvaluationWorker>());
            builder.Services.TryAddSingleton<ExperimentJobBody>(ExperimentJobs.RunAsync);
            builder.Services.AddSingleton<ExperimentJobWorker>();
            builder.Services.AddHostedService(services => services.GetRequiredService<ExperimentJobWorker>());
            builder.Services.AddSingleton<PersistenceRunWorker>();
            builder.Services.AddHostedService(services => services.GetRequiredService<PersistenceRunWorker>());
            builder.Services.AddSingleton<LoadedCheckpoints>();
            // The queues whose pending work the workload service sums.
            builder.Services.AddSingleton<SerialWorkQueue>(services => services.GetRequiredService<EvaluationWorker>());
            builder.Services.AddSingleton<SerialWorkQueue>(services => services.GetRequiredService<ExperimentJobWorker>());
            builder.Services.AddSingleton<SerialWorkQueue>(services => services.GetRequiredService<PersistenceRunWorker>());
        }

        return builder;
    }
}
