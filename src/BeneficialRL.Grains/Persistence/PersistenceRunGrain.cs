using BeneficialRL.Contracts.Catalog;
using BeneficialRL.Contracts.Persistence;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Grains.Catalog;
using BeneficialRL.Grains.Hosting;
using BeneficialRL.Grains.Placement;
using BeneficialRL.Grains.Workers;
using Microsoft.Extensions.Options;

namespace BeneficialRL.Grains.Persistence;

/// <summary>A persistence run. Placed on trainer silos because the worker that runs it is the hosting silo's.</summary>
[TrainerPlacementFilter]
public sealed class PersistenceRunGrain(
    [PersistentState("run", GrainStorageNames.Default)] IPersistentState<PersistenceRunState> state,
    ILocalSiloDetails silo,
    PersistenceRunWorker worker,
    IOptions<RecoveryOptions> recovery,
    TimeProvider time) : Grain, IPersistenceRunGrain, IRemindable
{
    private const string ResumeReminder = "resume";

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Info is { Status: PersistenceRunStatus.Queued or PersistenceRunStatus.Running })
        {
            await RecoveryReminders.EnsureAsync(this, ResumeReminder, recovery.Value.ReminderPeriod);
            // Activated again after its silo was lost (by the reminder, or a call): the work was lost with it.
            worker.Enqueue(this.GetPrimaryKeyString());
        }

        await base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.Info is { Status: PersistenceRunStatus.Queued or PersistenceRunStatus.Running })
        {
            worker.Enqueue(this.GetPrimaryKeyString());
            return;
        }

        await RecoveryReminders.RemoveAsync(this, reminderName);
    }

    /// <inheritdoc />
    public async Task<PersistenceRunInfo> CreateAsync(PersistenceRunRequest request)
    {
        if (state.State.Info is not null) throw new ResourceAlreadyExistsException($"Persistence run '{state.State.Info.Id}' already exists.");
        var (tenant, id) = this.TenantAndId();
        var now = time.GetUtcNow();
        await GrainFactory.IndexAsync(tenant, ResourceKinds.PersistenceRuns, id, now);
        // The reminder before the state: a silo lost between the two must not leave a queued run that nothing queues again.
        await RecoveryReminders.EnsureAsync(this, ResumeReminder, recovery.Value.ReminderPeriod);
        state.State.Info = new PersistenceRunInfo { Id = id, Tenant = tenant, Request = request, Status = PersistenceRunStatus.Queued, CreatedAt = now, Worker = silo.Name };
        await state.WriteStateAsync();
        worker.Enqueue(this.GetPrimaryKeyString());
        return state.State.Info;
    }

    /// <inheritdoc />
    public Task<PersistenceRunInfo?> GetAsync() =>
        Task.FromResult(state.State.Info is { } info ? info with { Worker = info.FinishedAt is null ? silo.Name : info.Worker } : null);

    /// <inheritdoc />
    public Task<PersistenceRunInfo> MarkRunningAsync() =>
        ChangeAsync([PersistenceRunStatus.Queued, PersistenceRunStatus.Running], "start",
            (info, now) => info with { Status = PersistenceRunStatus.Running, StartedAt = now, Attempts = info.Attempts + 1, Phase = null, Done = 0, Total = 0 });

    /// <inheritdoc />
    public async Task ReportProgressAsync(string phase, long done, long total, string message)
    {
        if (state.State.Info is not { Status: PersistenceRunStatus.Running }) return;
        await ChangeAsync([PersistenceRunStatus.Running], "report progress", (info, _) => info with { Phase = phase, Done = done, Total = total, Message = message });
    }

    /// <inheritdoc />
    public Task<PersistenceRunInfo> CompleteAsync(string resultPath, string reportPath, IReadOnlyList<string> doseCheckpointIds) =>
        ChangeAsync([PersistenceRunStatus.Running], "complete", (info, now) => info with
        {
            Status = PersistenceRunStatus.Completed,
            FinishedAt = now,
            ResultPath = resultPath,
            ReportPath = reportPath,
            DoseCheckpointIds = [.. doseCheckpointIds],
            Message = "completed",
        });

    /// <inheritdoc />
    public Task<PersistenceRunInfo> FailAsync(string error) =>
        ChangeAsync([PersistenceRunStatus.Queued, PersistenceRunStatus.Running], "fail", (info, now) => info with { Status = PersistenceRunStatus.Failed, FinishedAt = now, Error = error });

    /// <inheritdoc />
    public async Task<PersistenceRunInfo> CancelAsync()
    {
        var info = Existing();
        if (info.Status == PersistenceRunStatus.Cancelled) return info;
        worker.Cancel(this.GetPrimaryKeyString());
        return await ChangeAsync([PersistenceRunStatus.Queued, PersistenceRunStatus.Running], "be cancelled", (i, now) => i with { Status = PersistenceRunStatus.Cancelled, FinishedAt = now });
    }

    private async Task<PersistenceRunInfo> ChangeAsync(PersistenceRunStatus[] from, string action, Func<PersistenceRunInfo, DateTimeOffset, PersistenceRunInfo> apply)
    {
        var info = Existing();
        if (!from.Contains(info.Status)) throw new InvalidResourceStateException($"Persistence run '{info.Id}' is {info.Status} and cannot {action}.");
        state.State.Info = apply(info, time.GetUtcNow()) with { Worker = silo.Name };
        await state.WriteStateAsync();
        if (state.State.Info.FinishedAt is not null) await RecoveryReminders.RemoveAsync(this, ResumeReminder);
        return state.State.Info;
    }

    private PersistenceRunInfo Existing() => state.State.Info ?? throw new ResourceNotFoundException($"Persistence run '{this.TenantAndId().Id}' does not exist.");
}

/// <summary>Persisted state of <see cref="PersistenceRunGrain"/>.</summary>
[GenerateSerializer]
public sealed class PersistenceRunState
{
    /// <summary>The run, once created.</summary>
    [Id(0)] public PersistenceRunInfo? Info { get; set; }
}
