using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace BeneficialRL.Grains.Placement;

/// <summary>
/// Places a work item (an experiment job, a benchmark run, a persistence run) on the trainer silo with the least work
/// queued or running, so a stage's jobs spread over the trainers instead of queueing on one. Orleans' default placement
/// compares resource statistics that are refreshed about once a second, so a burst of jobs placed within that second
/// lands on one silo, where its work queue runs them one after another.
/// Used with <see cref="TrainerPlacementFilterAttribute"/>, which leaves only trainer silos to choose from.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class LeastBusyTrainerPlacementAttribute() : PlacementAttribute(new LeastBusyTrainerPlacementStrategy());

/// <summary>The strategy object Orleans stores in the grain type's properties.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
[Alias("BeneficialRL.Grains.Placement.LeastBusyTrainerPlacementStrategy")]
public sealed class LeastBusyTrainerPlacementStrategy : PlacementStrategy;

/// <summary>
/// Asks every candidate silo for its pending work (<see cref="ITrainerWorkloadService"/>) and picks the least busy, a
/// random one among equals. The reading is current: the experiment grain starts a stage's jobs one after another, and
/// each job is queued before its start returns, so the next placement counts it. A silo that does not answer within
/// <see cref="AnswerTimeout"/> is left out (it is busy beyond answering, or leaving); when none answers, any candidate.
/// </summary>
[SuppressMessage("Performance", "CA1812", Justification = "Created by dependency injection.")]
internal sealed partial class LeastBusyTrainerPlacementDirector(ITrainerWorkloadClient workloads, ILogger<LeastBusyTrainerPlacementDirector> logger) : IPlacementDirector
{
    /// <summary>How long a silo has to say how busy it is.</summary>
    internal static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var silos = context.GetCompatibleSilos(target);
        if (IPlacementDirector.GetPlacementHint(target.RequestContextData, silos) is { } hint) return hint;
        if (silos.Length == 0) throw new SiloUnavailableException($"No compatible silo is active, so {target.GrainIdentity} cannot be placed.");
        if (silos.Length == 1) return silos[0];
        var loads = await Task.WhenAll(silos.Select(async silo => (silo, await PendingWorkAsync(silo))));
        return LeastBusy(loads, Random.Shared);
    }

    /// <summary>The silo with the least pending work, a random one among equals; unknown loads lose to known ones.</summary>
    internal static SiloAddress LeastBusy(IReadOnlyList<(SiloAddress Silo, int? Pending)> loads, Random random)
    {
        if (loads.Count == 0) throw new ArgumentException("There is no silo to choose from.", nameof(loads));
        var known = loads.Where(l => l.Pending is not null).ToList();
        if (known.Count == 0) return loads[random.Next(loads.Count)].Silo;
        var least = known.Min(l => l.Pending!.Value);
        var idlest = known.Where(l => l.Pending == least).ToList();
        return idlest[random.Next(idlest.Count)].Silo;
    }

    private async Task<int?> PendingWorkAsync(SiloAddress silo)
    {
        try
        {
            return await workloads.GetPendingWorkAsync(silo).WaitAsync(AnswerTimeout);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            LogNoAnswer(logger, e, silo);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} did not say how busy it is; work is placed elsewhere if possible")]
    private static partial void LogNoAnswer(ILogger logger, Exception exception, SiloAddress silo);
}
