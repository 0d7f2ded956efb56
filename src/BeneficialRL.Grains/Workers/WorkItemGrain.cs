using BeneficialRL.Contracts.Work;
using BeneficialRL.Grains.Hosting;
using Microsoft.Extensions.Options;

namespace BeneficialRL.Grains.Workers;

/// <summary>
/// The grain of one piece of queued work (an experiment job, a benchmark run, a persistence run): its
/// <see cref="WorkItemLifecycle{TInfo}"/>, wired to its state, its worker and its resume reminder. Each kind keeps only
/// its own record and transitions; runs that are a tenant's resources of their own build on
/// <see cref="RunGrain{TInfo, TState}"/>.
/// </summary>
/// <typeparam name="TInfo">The item's persisted record.</typeparam>
public abstract class WorkItemGrain<TInfo> : Grain, IRemindable
    where TInfo : class
{
    /// <summary>Wires the lifecycle; <paramref name="worker"/> is this silo's worker for the kind.</summary>
    protected WorkItemGrain(SerialWorkQueue worker, ILocalSiloDetails silo, IOptions<RecoveryOptions> recovery, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(recovery);
        (Silo, Time) = (silo, time);
        Lifecycle = new WorkItemLifecycle<TInfo>(
            this, () => Info, info => Info = info, WriteAsync, StatusOf, Stamp, worker, recovery.Value.ReminderPeriod, time, Describe, Changed);
    }

    /// <summary>The silo holding the grain now.</summary>
    protected ILocalSiloDetails Silo { get; }

    /// <summary>The clock.</summary>
    protected TimeProvider Time { get; }

    /// <summary>The item's lifecycle.</summary>
    protected WorkItemLifecycle<TInfo> Lifecycle { get; }

    /// <summary>The item in the grain's state (null before it was created).</summary>
    protected abstract TInfo? Info { get; set; }

    /// <summary>Writes the grain's state.</summary>
    protected abstract Task WriteAsync();

    /// <summary>The item's status.</summary>
    protected abstract WorkStatus StatusOf(TInfo info);

    /// <summary>What every change also records; by default nothing.</summary>
    protected virtual TInfo Stamp(TInfo info, DateTimeOffset now) => info;

    /// <summary>How errors name the item.</summary>
    protected abstract string Describe();

    /// <summary>Told after every write; by default nothing.</summary>
    protected virtual void Changed(TInfo info)
    {
    }

    /// <summary>Brings state stored by an older version up to date, before the lifecycle looks at it; by default nothing.</summary>
    protected virtual Task UpgradeStateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await UpgradeStateAsync(cancellationToken);
        await Lifecycle.ActivateAsync();
        await base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status) => Lifecycle.RemindAsync(reminderName);

    /// <summary>The item as callers see it: an unfinished one lives wherever its grain is activated now (after a silo loss, another trainer).</summary>
    protected TInfo? Current(Func<TInfo, string, TInfo> withWorker)
    {
        ArgumentNullException.ThrowIfNull(withWorker);
        return Info is { } info && !StatusOf(info).IsTerminal() ? withWorker(info, Silo.Name) : Info;
    }
}
