using BeneficialRL.Contracts.Experiments;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.Work;
using BeneficialRL.Grains.Hosting;
using BeneficialRL.Grains.Placement;
using BeneficialRL.Grains.Workers;
using Microsoft.Extensions.Options;

namespace BeneficialRL.Grains.Experiments;

/// <summary>
/// One job of an experiment. Placed on the least busy trainer silo because the job worker that does the work runs
/// on the silo hosting the grain; a reminder re-queues the job wherever the grain is activated after its silo was lost.
/// Every change is sent to the experiment grain (one-way).
/// </summary>
[TrainerPlacementFilter]
[LeastBusyTrainerPlacement]
public sealed class ExperimentJobGrain(
    [PersistentState("job", GrainStorageNames.Default)] IPersistentState<ExperimentJobState> state,
    ILocalSiloDetails silo,
    ExperimentJobWorker worker,
    IOptions<RecoveryOptions> recovery,
    TimeProvider time) : WorkItemGrain<ExperimentJobInfo>(worker, silo, recovery, time), IExperimentJobGrain
{
    /// <inheritdoc />
    protected override ExperimentJobInfo? Info { get => state.State.Info; set => state.State.Info = value; }

    /// <inheritdoc />
    protected override Task WriteAsync() => state.WriteStateAsync();

    /// <inheritdoc />
    protected override WorkStatus StatusOf(ExperimentJobInfo info) => info.Status;

    /// <inheritdoc />
    protected override ExperimentJobInfo Stamp(ExperimentJobInfo info, DateTimeOffset now) => info with { Worker = Silo.Name, Revision = info.Revision + 1 };

    /// <inheritdoc />
    protected override string Describe()
    {
        var (_, experimentId, job) = ExperimentJobKeys.Parse(this.GetPrimaryKeyString());
        return $"Job '{job}' of experiment '{experimentId}'";
    }

    /// <inheritdoc />
    protected override void Changed(ExperimentJobInfo info)
    {
        // One-way: the experiment grain hears of every change of its jobs.
        var (tenant, experimentId, _) = ExperimentJobKeys.Parse(this.GetPrimaryKeyString());
        GrainFactory.GetGrain<IExperimentGrain>(ResourceKey.For(tenant, experimentId)).OnJobUpdatedAsync(info).Ignore();
    }

    /// <inheritdoc />
    public async Task<ExperimentJobInfo> StartAsync(ExperimentJobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (state.State.Info is { } existing) return existing;
        var (_, experimentId, job) = ExperimentJobKeys.Parse(this.GetPrimaryKeyString());
        if (job != request.Name) throw new ArgumentException($"Job '{request.Name}' started on the grain of job '{job}'.", nameof(request));
        return await Lifecycle.CreateAsync(new ExperimentJobInfo
        {
            ExperimentId = experimentId,
            Request = request,
            Status = WorkStatus.Queued,
            Worker = Silo.Name,
            CreatedAt = Time.GetUtcNow(),
            Revision = 1,
        });
    }

    /// <inheritdoc />
    public Task<ExperimentJobInfo?> GetAsync() => Task.FromResult(Current((info, worker) => info with { Worker = worker }));

    /// <inheritdoc />
    public Task<ExperimentJobInfo> MarkRunningAsync() =>
        Lifecycle.ChangeAsync([WorkStatus.Queued, WorkStatus.Running], "start", (info, now) => info with
        {
            Status = WorkStatus.Running,
            Attempts = info.Attempts + 1,
            StartedAt = now,
            Message = info.Attempts == 0 ? "started" : $"attempt {info.Attempts + 1}: resuming" + (info.LastCheckpointStep is { } step ? $" from step {step}" : ""),
        });

    /// <inheritdoc />
    public async Task ReportProgressAsync(long done, long total, string message)
    {
        if (state.State.Info is not { Status: WorkStatus.Running }) return; // paused or cancelled meanwhile: stale news
        await Lifecycle.ChangeAsync([WorkStatus.Running], "report progress", (info, _) => info with { Done = done, Total = total, Message = message });
    }

    /// <inheritdoc />
    public Task RecordCheckpointAsync(long step, string checkpointId) =>
        // Accepted while paused too: the checkpoint was stored before the worker saw the pause.
        Lifecycle.ChangeAsync([WorkStatus.Running, WorkStatus.Paused], "record a checkpoint", (info, _) => info with { LastCheckpointStep = step, LastCheckpointId = checkpointId });

    /// <inheritdoc />
    public Task<ExperimentJobInfo> CompleteAsync(string? resultPath) =>
        Lifecycle.ChangeAsync([WorkStatus.Running], "complete", (info, now) => info with
        {
            Status = WorkStatus.Completed,
            ResultPath = resultPath,
            FinishedAt = now,
            Done = Math.Max(info.Done, info.Total),
            Message = "completed",
        });

    /// <inheritdoc />
    public Task<ExperimentJobInfo> FailAsync(string error) =>
        Lifecycle.ChangeAsync([WorkStatus.Queued, WorkStatus.Running], "fail", (info, now) => info with { Status = WorkStatus.Failed, Error = error, FinishedAt = now, Message = error });

    /// <inheritdoc />
    public async Task<ExperimentJobInfo> CancelAsync()
    {
        var info = Lifecycle.Existing();
        if (info.IsTerminal) return info;
        Lifecycle.StopWork();
        return await Lifecycle.ChangeAsync([WorkStatus.Queued, WorkStatus.Running, WorkStatus.Paused], "cancel",
            (i, now) => i with { Status = WorkStatus.Cancelled, FinishedAt = now, Message = "cancelled" });
    }

    /// <inheritdoc />
    public async Task<ExperimentJobInfo> PauseAsync()
    {
        var info = Lifecycle.Existing();
        if (info.Status is WorkStatus.Paused || info.IsTerminal) return info;
        Lifecycle.StopWork();
        return await Lifecycle.ChangeAsync([WorkStatus.Queued, WorkStatus.Running], "pause",
            (i, _) => i with { Status = WorkStatus.Paused, Message = i.LastCheckpointStep is { } step ? $"paused; resumes from step {step}" : "paused" });
    }

    /// <inheritdoc />
    public async Task<ExperimentJobInfo> ResumeAsync()
    {
        var info = Lifecycle.Existing();
        if (info.Status is not WorkStatus.Paused) return info;
        var resumed = await Lifecycle.ChangeAsync([WorkStatus.Paused], "resume", (i, _) => i with { Status = WorkStatus.Queued, Message = "queued after a pause" });
        Lifecycle.QueueWork();
        return resumed;
    }
}

/// <summary>Persisted state of <see cref="ExperimentJobGrain"/>.</summary>
[GenerateSerializer]
public sealed class ExperimentJobState
{
    /// <summary>The job, once started.</summary>
    [Id(0)] public ExperimentJobInfo? Info { get; set; }
}
