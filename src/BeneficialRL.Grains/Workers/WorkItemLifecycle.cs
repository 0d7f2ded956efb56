using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.Work;

namespace BeneficialRL.Grains.Workers;

/// <summary>
/// The lifecycle every kind of queued work shares (experiment jobs, benchmark runs, persistence runs), written once
/// for their grains: a resume reminder registered before the first write and kept while the item is unfinished, the
/// item queued on this silo's worker whenever its grain activates or the reminder fires while it is runnable, and
/// every change guarded (allowed from these statuses, a legal <see cref="WorkStatuses"/> transition), written,
/// stamped with the silo that holds it, and announced.
/// </summary>
/// <typeparam name="TInfo">The item's persisted record.</typeparam>
public sealed class WorkItemLifecycle<TInfo>
    where TInfo : class
{
    /// <summary>The reminder that queues an unfinished item again wherever its grain is activated after a silo loss.</summary>
    public const string ResumeReminder = "resume";

    private readonly Grain _grain;
    private readonly Func<TInfo?> _get;
    private readonly Action<TInfo> _set;
    private readonly Func<Task> _write;
    private readonly Func<TInfo, WorkStatus> _statusOf;
    private readonly Func<TInfo, DateTimeOffset, TInfo> _stamp;
    private readonly SerialWorkQueue _worker;
    private readonly TimeSpan _reminderPeriod;
    private readonly TimeProvider _time;
    private readonly Func<string> _describe;
    private readonly Action<TInfo>? _changed;

    /// <summary>Creates the lifecycle of <paramref name="grain"/>'s item.</summary>
    /// <param name="grain">The item's grain (its key is the worker's key).</param>
    /// <param name="get">Reads the item from the grain's state.</param>
    /// <param name="set">Replaces the item in the grain's state.</param>
    /// <param name="write">Writes the grain's state.</param>
    /// <param name="statusOf">The item's status.</param>
    /// <param name="stamp">What every change also records (the silo holding the item, a revision).</param>
    /// <param name="worker">This silo's worker for the kind.</param>
    /// <param name="reminderPeriod">The resume reminder's period.</param>
    /// <param name="time">The clock.</param>
    /// <param name="describe">How errors name the item, e.g. <c>Benchmark run 'run-1'</c>.</param>
    /// <param name="changed">Told after every write (e.g. the experiment hears of its jobs).</param>
    public WorkItemLifecycle(
        Grain grain, Func<TInfo?> get, Action<TInfo> set, Func<Task> write, Func<TInfo, WorkStatus> statusOf, Func<TInfo, DateTimeOffset, TInfo> stamp,
        SerialWorkQueue worker, TimeSpan reminderPeriod, TimeProvider time, Func<string> describe, Action<TInfo>? changed = null)
    {
        (_grain, _get, _set, _write, _statusOf, _stamp) = (grain, get, set, write, statusOf, stamp);
        (_worker, _reminderPeriod, _time, _describe, _changed) = (worker, reminderPeriod, time, describe, changed);
    }

    private string Key => _grain.GetPrimaryKeyString();

    /// <summary>The item; <see cref="ResourceNotFoundException"/> before it was created.</summary>
    public TInfo Existing() => _get() ?? throw new ResourceNotFoundException($"{_describe()} does not exist.");

    /// <summary>On activation: an unfinished item keeps its reminder, and a runnable one is queued (its work was lost with its silo).</summary>
    public async Task ActivateAsync()
    {
        if (_get() is not { } info || _statusOf(info).IsTerminal()) return;
        await RecoveryReminders.EnsureAsync(_grain, ResumeReminder, _reminderPeriod);
        if (_statusOf(info).IsRunnable()) _worker.Enqueue(Key);
    }

    /// <summary>On the resume reminder: queue a runnable item (a no-op where it is queued or running already); drop the reminder of a finished one.</summary>
    public async Task RemindAsync(string reminderName)
    {
        if (_get() is not { } info || _statusOf(info).IsTerminal())
        {
            await RecoveryReminders.RemoveAsync(_grain, reminderName);
            return;
        }

        if (_statusOf(info).IsRunnable()) _worker.Enqueue(Key);
    }

    /// <summary>Stores a new item and queues it.</summary>
    public async Task<TInfo> CreateAsync(TInfo info)
    {
        // The reminder before the state: a silo lost between the two must not leave a queued item that nothing queues again.
        await RecoveryReminders.EnsureAsync(_grain, ResumeReminder, _reminderPeriod);
        _set(info);
        await _write();
        _worker.Enqueue(Key);
        _changed?.Invoke(info);
        return info;
    }

    /// <summary>
    /// Applies <paramref name="apply"/> if the item's status is one of <paramref name="from"/> (else
    /// <see cref="InvalidResourceStateException"/> naming <paramref name="action"/>), writes it, drops the reminder
    /// once the item is finished, and announces it.
    /// </summary>
    public async Task<TInfo> ChangeAsync(WorkStatus[] from, string action, Func<TInfo, DateTimeOffset, TInfo> apply)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(apply);
        var info = Existing();
        var status = _statusOf(info);
        if (!from.Contains(status)) throw new InvalidResourceStateException($"{_describe()} is {status} and cannot {action}.");
        var now = _time.GetUtcNow();
        var next = _stamp(apply(info, now), now);
        var to = _statusOf(next);
        if (to != status && !WorkStatuses.CanMove(status, to)) throw new InvalidOperationException($"{_describe()}: {status} → {to} is not a transition of the work lifecycle.");
        _set(next);
        await _write();
        if (to.IsTerminal())
        {
            await RecoveryReminders.RemoveAsync(_grain, ResumeReminder);
            _worker.Settle(Key); // before the news: the next item placed on hearing it must not count this one
        }

        _changed?.Invoke(next);
        return next;
    }

    /// <summary>Stops the item's work on this silo if it is queued or running here.</summary>
    public void StopWork() => _worker.Cancel(Key);

    /// <summary>Queues the item on this silo's worker.</summary>
    public void QueueWork() => _worker.Enqueue(Key);
}
