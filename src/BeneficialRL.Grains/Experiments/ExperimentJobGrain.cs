using BeneficialRL.Contracts.Experiments;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Grains.Hosting;
using BeneficialRL.Grains.Placement;
using BeneficialRL.Grains.Workers;
using Microsoft.Extensions.Options;

namespace BeneficialRL.Grains.Experiments;

/// <summary>
/// One job of an experiment. Placed on trainer silos because the job worker that does the work runs on
/// the silo hosting the grain; a reminder re-queues the job wherever the grain is activated after its
/// silo was lost. Every change is sent to the experiment grain (one-way).
/// </summary>
[TrainerPlacementFilter]
public sealed class ExperimentJobGrain(
    [PersistentState("job", GrainStorageNames.Default)] IPersistentState<ExperimentJobState> state,
    ILocalSiloDetails silo,
    ExperimentJobWorker worker,
    IOptions<RecoveryOptions> recovery,
    TimeProvider time) : Grain, IExperimentJobGrain, IRemindable
{
    private const string ResumeReminder = "resume";

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Info is { IsTerminal: false } info)
        {
            await RecoveryReminders.EnsureAsync(this, ResumeReminder, recovery.Value.ReminderPeriod);
            // Activated again after its silo was lost (by the reminder, or a call): the work was lost with it.
            if (info.Status is ExperimentJobStatus.Queued or ExperimentJobStatus.Running) worker.Enqueue(this.GetPrimaryKeyString());
        }

        await base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.Info is not { } info || info.IsTerminal)
        {
            await RecoveryReminders.RemoveAsync(this, reminderName);
            return;
        }

        if (info.Status is ExperimentJobStatus.Queued or ExperimentJobStatus.Running) worker.Enqueue(this.GetPrimaryKeyString());
    }

    /// <inheritdoc />
    public async Task<ExperimentJobInfo> StartAsync(ExperimentJobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (state.State.Info is { } existing) return existing;
        var (_, experimentId, job) = ExperimentJobKeys.Parse(this.GetPrimaryKeyString());
        if (job != request.Name) throw new ArgumentException($"Job '{request.Name}' started on the grain of job '{job}'.", nameof(request));
        // The reminder first: a silo lost between the two must not leave a queued job that nothing queues again.
        await RecoveryReminders.EnsureAsync(this, ResumeReminder, recovery.Value.ReminderPeriod);
        state.State.Info = new ExperimentJobInfo
        {
            ExperimentId = experimentId,
            Request = request,
            Status = ExperimentJobStatus.Queued,
            Worker = silo.Name,
            CreatedAt = time.GetUtcNow(),
            Revision = 1,
        };
        await state.WriteStateAsync();
        worker.Enqueue(this.GetPrimaryKeyString());
        Notify();
        return state.State.Info;
    }

    /// <inheritdoc />
    public Task<ExperimentJobInfo?> GetAsync() =>
        Task.FromResult(state.State.Info is { } info ? info with { Worker = info.IsTerminal ? info.Worker : silo.Name } : null);

    /// <inheritdoc />
    public Task<ExperimentJobInfo> MarkRunningAsync() =>
        ChangeAsync([ExperimentJobStatus.Queued, ExperimentJobStatus.Running], "start", (info, now) => info with
        {
            Status = ExperimentJobStatus.Running,
            Attempts = info.Attempts + 1,
            StartedAt = now,
            Message = info.Attempts == 0 ? "started" : $"attempt {info.Attempts + 1}: resuming" + (info.LastCheckpointStep is { } step ? $" from step {step}" : ""),
        });

    /// <inheritdoc />
    public async Task ReportProgressAsync(long done, long total, string message)
    {
        if (state.State.Info is not { Status: ExperimentJobStatus.Running }) return; // paused or cancelled meanwhile: stale news
        await ChangeAsync([ExperimentJobStatus.Running], "report progress", (info, _) => info with { Done = done, Total = total, Message = message });
    }

    /// <inheritdoc />
    public Task RecordCheckpointAsync(long step, string checkpointId) =>
        // Accepted while paused too: the checkpoint was stored before the worker saw the pause.
        ChangeAsync([ExperimentJobStatus.Running, ExperimentJobStatus.Paused], "record a checkpoint", (info, _) => info with { LastCheckpointStep = step, LastCheckpointId = checkpointId });

    /// <inheritdoc />
    public Task<ExperimentJobInfo> CompleteAsync(string? resultPath) =>
        ChangeAsync([ExperimentJobStatus.Running], "complete", (info, now) => info with
        {
            Status = ExperimentJobStatus.Completed,
            ResultPath = resultPath,
            FinishedAt = now,
            Done = Math.Max(info.Done, info.Total),
            Message = "completed",
        });

    /// <inheritdoc />
    public Task<ExperimentJobInfo> FailAsync(string error) =>
        ChangeAsync([ExperimentJobStatus.Queued, ExperimentJobStatus.Running], "fail", (info, now) => info with { Status = ExperimentJobStatus.Failed, Error = error, FinishedAt = now, Message = error });

    /// <inheritdoc />
    public async Task<ExperimentJobInfo> CancelAsync()
    {
        var info = Existing();
        if (info.IsTerminal) return info;
        worker.Cancel(this.GetPrimaryKeyString());
        return await ChangeAsync([ExperimentJobStatus.Queued, ExperimentJobStatus.Running, ExperimentJobStatus.Paused], "cancel",
            (i, now) => i with { Status = ExperimentJobStatus.Cancelled, FinishedAt = now, Message = "cancelled" });
    }

    /// <inheritdoc />
    public async Task<ExperimentJobInfo> PauseAsync()
    {
        var info = Existing();
        if (info.Status is ExperimentJobStatus.Paused || info.IsTerminal) return info;
        worker.Cancel(this.GetPrimaryKeyString());
        return await ChangeAsync([ExperimentJobStatus.Queued, ExperimentJobStatus.Running], "pause",
            (i, _) => i with { Status = ExperimentJobStatus.Paused, Message = i.LastCheckpointStep is { } step ? $"paused; resumes from step {step}" : "paused" });
    }

    /// <inheritdoc />
    public async Task<ExperimentJobInfo> ResumeAsync()
    {
        var info = Existing();
        if (info.Status is not ExperimentJobStatus.Paused) return info;
        var resumed = await ChangeAsync([ExperimentJobStatus.Paused], "resume", (i, _) => i with { Status = ExperimentJobStatus.Queued, Message = "queued after a pause" });
        worker.Enqueue(this.GetPrimaryKeyString());
        return resumed;
    }

    private async Task<ExperimentJobInfo> ChangeAsync(ExperimentJobStatus[] from, string action, Func<ExperimentJobInfo, DateTimeOffset, ExperimentJobInfo> apply)
    {
        var info = Existing();
        if (!from.Contains(info.Status)) throw new InvalidResourceStateException($"Job '{info.Request.Name}' of experiment '{info.ExperimentId}' is {info.Status} and cannot {action}.");
        state.State.Info = apply(info, time.GetUtcNow()) with { Worker = silo.Name, Revision = info.Revision + 1 };
        await state.WriteStateAsync();
        if (state.State.Info.IsTerminal) await RecoveryReminders.RemoveAsync(this, ResumeReminder);
        Notify();
        return state.State.Info;
    }

    private void Notify()
    {
        var (tenant, experimentId, _) = ExperimentJobKeys.Parse(this.GetPrimaryKeyString());
        GrainFactory.GetGrain<IExperimentGrain>(ResourceKey.For(tenant, experimentId)).OnJobUpdatedAsync(state.State.Info!).Ignore();
    }

    private ExperimentJobInfo Existing() => state.State.Info ?? throw new ResourceNotFoundException($"Experiment job '{this.GetPrimaryKeyString()}' does not exist.");
}

/// <summary>Persisted state of <see cref="ExperimentJobGrain"/>.</summary>
[GenerateSerializer]
public sealed class ExperimentJobState
{
    /// <summary>The job, once started.</summary>
    [Id(0)] public ExperimentJobInfo? Info { get; set; }
}
