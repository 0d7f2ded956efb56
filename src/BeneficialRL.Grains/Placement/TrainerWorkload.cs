using System.Diagnostics.CodeAnalysis;
using BeneficialRL.Grains.Workers;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Runtime.Services;
using Orleans.Services;

namespace BeneficialRL.Grains.Placement;

/// <summary>
/// A silo's queued work, asked for by the placement of work items: one instance runs on every silo (a grain service is
/// addressed by silo, which a grain is not), and on a trainer it sums the queues of every kind of work, because they
/// all share its cores.
/// </summary>
[Alias("BeneficialRL.Grains.Placement.ITrainerWorkloadService")]
public interface ITrainerWorkloadService : IGrainService
{
    /// <summary>Work items queued or running on this silo whose outcome is not recorded yet (0 on a silo that trains nothing).</summary>
    [Alias("PendingWork")]
    Task<int> GetPendingWorkAsync();
}

/// <summary>Reads one silo's <see cref="ITrainerWorkloadService"/>.</summary>
public interface ITrainerWorkloadClient : IGrainServiceClient<ITrainerWorkloadService>
{
    /// <summary>The pending work of <paramref name="silo"/>.</summary>
    Task<int> GetPendingWorkAsync(SiloAddress silo);
}

/// <inheritdoc cref="ITrainerWorkloadService" />
[Reentrant]
[SuppressMessage("Performance", "CA1812", Justification = "Created by Orleans as a grain service.")]
internal sealed class TrainerWorkloadService(GrainId id, Silo silo, ILoggerFactory loggerFactory, IEnumerable<SerialWorkQueue> queues)
    : GrainService(id, silo, loggerFactory), ITrainerWorkloadService
{
    private readonly SerialWorkQueue[] _queues = [.. queues];

    /// <inheritdoc />
    public Task<int> GetPendingWorkAsync() => Task.FromResult(_queues.Sum(queue => queue.Pending));
}

/// <inheritdoc cref="ITrainerWorkloadClient" />
[SuppressMessage("Performance", "CA1812", Justification = "Created by dependency injection.")]
internal sealed class TrainerWorkloadClient(IServiceProvider services) : GrainServiceClient<ITrainerWorkloadService>(services), ITrainerWorkloadClient
{
    /// <inheritdoc />
    public Task<int> GetPendingWorkAsync(SiloAddress silo) => GetGrainService(silo).GetPendingWorkAsync();
}
