using BeneficialRL.Contracts.Catalog;
using BeneficialRL.Contracts.Experiments;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.Work;
using BeneficialRL.Experiments.Jobs;
using BeneficialRL.Experiments.Reports;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Grains.Catalog;
using BeneficialRL.Grains.Hosting;
using BeneficialRL.Grains.Workers;
using Microsoft.Extensions.Options;

namespace BeneficialRL.Grains.Experiments;

/// <summary>
/// An experiment's spec, lifecycle and event log, and the driver of its stages: it starts the jobs of a
/// stage (<see cref="ExperimentPlan"/>), hears from them (one-way), and starts the next stage when every
/// job of the current one completed. A reconcile reminder reads every job of the current stage again, so
/// a lost message or a lost silo never leaves the experiment waiting.
/// </summary>
public sealed class ExperimentGrain(
    [PersistentState("experiment", GrainStorageNames.Default)] IPersistentState<ExperimentState> state,
    IOptions<RecoveryOptions> recovery,
    TimeProvider time) : Grain, IExperimentGrain, IRemindable
{
    /// <summary>How many events are kept for late subscribers; older ones are dropped first.</summary>
    internal const int EventLogCapacity = 1000;

    private const string ReconcileReminder = "reconcile";

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A submitted experiment that is not finished is driven by its reconcile reminder; state written before the
        // reminder was (or by an older version) gets it here.
        if (state.State.Info is { Status: not ExperimentStatus.Created } info && !info.Status.IsTerminal() && Definition() is not null)
        {
            await RecoveryReminders.EnsureAsync(this, ReconcileReminder, recovery.Value.ReminderPeriod);
        }

        await base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ExperimentInfo> CreateAsync(ExperimentSpec spec)
    {
        if (state.State.Info is not null) throw new ResourceAlreadyExistsException($"Experiment '{state.State.Info.Id}' already exists.");
        if (spec.Definition is { } json && ExperimentValidator.Validate(ExperimentJson.Deserialize(json)) is { Count: > 0 } errors)
        {
            // The API validated already; this guards other callers. ArgumentException crosses the wire, the engine's exception type need not.
            throw new ArgumentException("The experiment definition is invalid: " + string.Join("; ", errors), nameof(spec));
        }
        var (tenant, id) = this.TenantAndId();
        var now = time.GetUtcNow();
        await GrainFactory.IndexAsync(tenant, ResourceKinds.Experiments, id, now);
        state.State.Info = new ExperimentInfo { Id = id, Tenant = tenant, Spec = spec, Status = ExperimentStatus.Created, CreatedAt = now, Revision = 1 };
        AppendStatusEvent(now, "Experiment created.");
        await state.WriteStateAsync();
        return state.State.Info;
    }

    /// <inheritdoc />
    public Task<ExperimentInfo?> GetAsync() => Task.FromResult(state.State.Info);

    /// <inheritdoc />
    public Task<IReadOnlyList<ExperimentJobInfo>> GetJobsAsync() =>
        Task.FromResult<IReadOnlyList<ExperimentJobInfo>>([.. state.State.Jobs.Values.OrderBy(j => j.CreatedAt).ThenBy(j => j.Request.Name, StringComparer.Ordinal)]);

    /// <inheritdoc />
    public async Task<ExperimentInfo> SubmitAsync()
    {
        if (Definition() is not null && state.State.Info is { } current && ExperimentLifecycle.CanMove(current.Status, ExperimentStatus.Queued))
        {
            // The reminder before the state: a silo lost between the two must not leave a queued experiment that nothing drives.
            await RecoveryReminders.EnsureAsync(this, ReconcileReminder, recovery.Value.ReminderPeriod);
        }

        var info = await MoveAsync(ExperimentStatus.Queued, (info, now) => info with { QueuedAt = now }, "Queued for a trainer silo.");
        if (Definition() is not null) await StartStageAsync(0);

        return state.State.Info ?? info;
    }

    /// <inheritdoc />
    public async Task<ExperimentInfo> CancelAsync(string? reason, long? expectedRevision)
    {
        var info = Existing();
        if (expectedRevision is { } expected && expected != info.Revision) throw new RevisionMismatchException(expected, info.Revision);
        if (info.Status == ExperimentStatus.Cancelled) return info;
        var message = string.IsNullOrWhiteSpace(reason) ? "Cancelled by the user." : $"Cancelled: {reason}";
        var cancelled = await MoveAsync(ExperimentStatus.Cancelled, (i, now) => i with { FinishedAt = now, Error = message }, message);
        await StopJobsAsync();
        return cancelled;
    }

    /// <inheritdoc />
    public async Task<ExperimentInfo> PauseAsync(long? expectedRevision)
    {
        var info = Existing();
        if (expectedRevision is { } expected && expected != info.Revision) throw new RevisionMismatchException(expected, info.Revision);
        if (info.Status == ExperimentStatus.Paused) return info;
        var paused = await MoveAsync(ExperimentStatus.Paused, (i, _) => i, "Paused: running jobs stop at their next step; training resumes from its last checkpoint.");
        foreach (var job in CurrentJobs().Where(j => !j.IsTerminal))
        {
            Remember(await JobGrain(job.Request.Name).PauseAsync());
        }

        await state.WriteStateAsync();
        return paused;
    }

    /// <inheritdoc />
    public async Task<ExperimentInfo> ResumeAsync(long? expectedRevision)
    {
        var info = Existing();
        if (expectedRevision is { } expected && expected != info.Revision) throw new RevisionMismatchException(expected, info.Revision);
        if (info.Status != ExperimentStatus.Paused) throw new InvalidResourceStateException($"Experiment '{info.Id}' is {info.Status}, not paused: there is nothing to resume.");
        await MoveAsync(info.StartedAt is null ? ExperimentStatus.Queued : ExperimentStatus.Running, (i, _) => i, "Resumed.");
        foreach (var job in CurrentJobs().Where(j => j.Status == WorkStatus.Paused))
        {
            Remember(await JobGrain(job.Request.Name).ResumeAsync());
        }

        // Jobs that completed while paused leave a finished stage waiting for this moment.
        await AdvanceIfStageDoneAsync();
        await state.WriteStateAsync();
        return state.State.Info!;
    }

    /// <inheritdoc />
    public async Task<ExperimentInfo> UpdateAsync(string? name, string? description, long? expectedRevision)
    {
        var info = Existing();
        if (expectedRevision is { } expected && expected != info.Revision) throw new RevisionMismatchException(expected, info.Revision);
        state.State.Info = info with
        {
            Spec = info.Spec with { Name = name ?? info.Spec.Name, Description = description ?? info.Spec.Description },
            Revision = info.Revision + 1,
        };
        await state.WriteStateAsync();
        return state.State.Info;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ExperimentEvent>> GetEventsAsync(long afterSequence) =>
        Task.FromResult<IReadOnlyList<ExperimentEvent>>(state.State.Events.Where(e => e.Sequence > afterSequence).ToList());

    /// <inheritdoc />
    public async Task OnJobUpdatedAsync(ExperimentJobInfo job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (state.State.Info is not { } info) return;
        if (!Remember(job)) return;
        if (info.Status.IsTerminal())
        {
            // A job that outlived its experiment (cancelled or failed meanwhile) is stopped.
            if (!job.IsTerminal) await JobGrain(job.Request.Name).CancelAsync();
            await state.WriteStateAsync();
            return;
        }

        await ApplyAsync(job);
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public async Task RaiseAlarmAsync(ExperimentAlarm alarm)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        if (state.State.Info is not { } info) return;
        if (info.Alarms.Any(a => a.Kind == alarm.Kind && a.Run == alarm.Run)) return; // a resumed run raises it again
        state.State.Info = info with { Alarms = [.. info.Alarms, alarm], Revision = info.Revision + 1 };
        Append(new ExperimentEvent { Sequence = 0, At = alarm.At, Kind = "alarm", Status = info.Status, Stage = alarm.Kind, Message = alarm.Message, Job = alarm.Run });
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.Info is not { } info || info.Status.IsTerminal() || Definition() is null)
        {
            await RecoveryReminders.RemoveAsync(this, reminderName);
            return;
        }

        var index = Math.Max(0, state.State.StageIndex);
        foreach (var spec in ExperimentPlan.Stages(Definition()!)[index].Jobs)
        {
            var grain = JobGrain(spec.Name);
            var job = await grain.GetAsync() ?? await grain.StartAsync(RequestFor(spec)); // a start that never arrived
            if (Remember(job)) await ApplyAsync(job);
            if (state.State.Info!.Status.IsTerminal() || state.State.StageIndex != index) break; // the stage ended or moved on
        }

        await state.WriteStateAsync();
    }

    /// <summary>Reacts to a job's (newer) news: running, progress, failure, or the stage's last completion.</summary>
    private async Task ApplyAsync(ExperimentJobInfo job)
    {
        var info = state.State.Info!;
        var now = time.GetUtcNow();
        if (job.Status == WorkStatus.Running && info.Status == ExperimentStatus.Queued)
        {
            state.State.Info = info = info with { Status = ExperimentStatus.Running, StartedAt = now, Worker = job.Worker, Revision = info.Revision + 1 };
            AppendStatusEvent(now, $"Running: {job.Request.Name} started on {job.Worker}.");
        }

        if (job.Status == WorkStatus.Failed)
        {
            var error = job.Error ?? $"Job {job.Request.Name} failed.";
            state.State.Info = info with { Status = ExperimentStatus.Failed, FinishedAt = now, Error = error, Revision = info.Revision + 1 };
            AppendStatusEvent(now, error);
            await StopJobsAsync();
            return;
        }

        var current = CurrentJobs().Where(j => j.Request.Stage == job.Request.Stage).ToList();
        var fraction = current.Count == 0 ? 0 : current.Average(JobFraction);
        state.State.Info = info = info with { Progress = new ExperimentProgress(job.Request.Stage, fraction, job.Message, now), Worker = job.Worker ?? info.Worker, Revision = info.Revision + 1 };
        Append(new ExperimentEvent
        {
            Sequence = 0,
            At = now,
            Kind = "progress",
            Status = info.Status,
            Stage = job.Request.Stage,
            Job = job.Request.Name,
            Fraction = JobFraction(job),
            Message = job.Status == WorkStatus.Running ? job.Message : $"{job.Request.Name}: {job.Status.ToString().ToLowerInvariant()}",
        });

        if (job.Status == WorkStatus.Completed) await AdvanceIfStageDoneAsync();
    }

    /// <summary>Starts the next stage (or completes the experiment) when every job of the current stage completed, unless paused.</summary>
    private async Task AdvanceIfStageDoneAsync()
    {
        var info = state.State.Info!;
        if (info.Status is not (ExperimentStatus.Queued or ExperimentStatus.Running) || Definition() is not { } definition) return;
        var plan = ExperimentPlan.Stages(definition);
        var index = state.State.StageIndex;
        if (index < 0 || index >= plan.Count) return;
        if (!plan[index].Jobs.All(r => state.State.Jobs.TryGetValue(r.Name, out var j) && j.Status == WorkStatus.Completed)) return;

        var now = time.GetUtcNow();
        FinishStage(now);
        if (index + 1 < plan.Count)
        {
            await StartStageAsync(index + 1);
            return;
        }

        var report = state.State.Jobs[plan[index].Jobs[^1].Name].ResultPath ?? throw new InvalidOperationException("The report job completed without a result path.");
        var folder = report[..(report.LastIndexOf('/') + 1)];
        info = state.State.Info!;
        state.State.Info = info with
        {
            Status = ExperimentStatus.Completed,
            FinishedAt = now,
            Results = new ExperimentResults { ReportFolder = folder, ReportJson = report, ReportHtml = folder + ReportStage.HtmlFile },
            Revision = info.Revision + 1,
        };
        AppendStatusEvent(now, $"Experiment completed; report at {folder}{ReportStage.HtmlFile}.");
    }

    private async Task StartStageAsync(int index)
    {
        var (stage, jobs) = ExperimentPlan.Stages(Definition()!)[index];
        var now = time.GetUtcNow();
        state.State.StageIndex = index;
        var info = state.State.Info!;
        state.State.Info = info with { Stages = [.. info.Stages, new ExperimentStageInfo { Name = stage, StartedAt = now }], Revision = info.Revision + 1 };
        Append(new ExperimentEvent { Sequence = 0, At = now, Kind = "stage", Status = info.Status, Stage = stage, Fraction = 0, Message = $"Stage {stage} started: {jobs.Count} job(s)." });
        await state.WriteStateAsync();
        foreach (var spec in jobs)
        {
            Remember(await JobGrain(spec.Name).StartAsync(RequestFor(spec)));
        }

        await state.WriteStateAsync();
    }

    private void FinishStage(DateTimeOffset now)
    {
        var info = state.State.Info!;
        var stages = info.Stages.ToList();
        var last = stages[^1];
        stages[^1] = last with { FinishedAt = now };
        state.State.Info = info with { Stages = stages, Revision = info.Revision + 1 };
        Append(new ExperimentEvent { Sequence = 0, At = now, Kind = "stage", Status = info.Status, Stage = last.Name, Fraction = 1, Message = $"Stage {last.Name} finished in {(now - last.StartedAt).TotalSeconds:0.0} s." });
    }

    private async Task StopJobsAsync()
    {
        foreach (var job in state.State.Jobs.Values.Where(j => !j.IsTerminal).ToList())
        {
            Remember(await JobGrain(job.Request.Name).CancelAsync());
        }
    }

    /// <summary>Keeps the newest news of a job; false when <paramref name="job"/> is older than what is known.</summary>
    private bool Remember(ExperimentJobInfo job)
    {
        if (state.State.Jobs.TryGetValue(job.Request.Name, out var known) && known.Revision >= job.Revision) return false;
        state.State.Jobs[job.Request.Name] = job;
        return true;
    }

    private IEnumerable<ExperimentJobInfo> CurrentJobs()
    {
        if (Definition() is not { } definition || state.State.StageIndex < 0) return [];
        var names = ExperimentPlan.Stages(definition)[state.State.StageIndex].Jobs.Select(j => j.Name).ToHashSet(StringComparer.Ordinal);
        return state.State.Jobs.Values.Where(j => names.Contains(j.Request.Name));
    }

    /// <summary>The job grain's request for a planned job; the kind is the stage's, for listings and clients.</summary>
    private static ExperimentJobRequest RequestFor(ExperimentJobSpec spec) => new()
    {
        Name = spec.Name,
        Stage = spec.Stage,
        Arm = spec.Arm,
        Seed = spec.Seed,
        Kind = spec.Stage switch
        {
            StageNames.BaseModel => ExperimentJobKind.BaseModel,
            StageNames.Training => ExperimentJobKind.TrainingRun,
            StageNames.Evaluation => ExperimentJobKind.Evaluation,
            StageNames.Persistence => ExperimentJobKind.Persistence,
            StageNames.Report => ExperimentJobKind.Report,
            _ => throw new InvalidOperationException($"Stage '{spec.Stage}' has no job kind."),
        },
    };

    private static double JobFraction(ExperimentJobInfo job) =>
        job.Status == WorkStatus.Completed ? 1 : job.Total > 0 ? Math.Clamp((double)job.Done / job.Total, 0, 1) : 0;

    private ExperimentDefinition? _definition;

    private ExperimentDefinition? Definition() =>
        _definition ??= state.State.Info?.Spec.Definition is { } json ? ExperimentJson.Deserialize(json) : null;

    private IExperimentJobGrain JobGrain(string name)
    {
        var (tenant, id) = this.TenantAndId();
        return GrainFactory.GetGrain<IExperimentJobGrain>(ExperimentJobKeys.For(tenant, id, name));
    }

    private async Task<ExperimentInfo> MoveAsync(ExperimentStatus to, Func<ExperimentInfo, DateTimeOffset, ExperimentInfo> apply, string message)
    {
        var info = Existing();
        if (!ExperimentLifecycle.CanMove(info.Status, to))
        {
            throw new InvalidResourceStateException($"Experiment '{info.Id}' is {info.Status} and cannot become {to}.");
        }

        var now = time.GetUtcNow();
        state.State.Info = apply(info, now) with { Status = to, Revision = info.Revision + 1 };
        AppendStatusEvent(now, message);
        await state.WriteStateAsync();
        return state.State.Info;
    }

    private void AppendStatusEvent(DateTimeOffset at, string message) =>
        Append(new ExperimentEvent { Sequence = 0, At = at, Kind = "status", Status = state.State.Info!.Status, Message = message });

    private void Append(ExperimentEvent e)
    {
        state.State.LastSequence++;
        state.State.Events.Add(e with { Sequence = state.State.LastSequence });
        if (state.State.Events.Count > EventLogCapacity) state.State.Events.RemoveRange(0, state.State.Events.Count - EventLogCapacity);
    }

    private ExperimentInfo Existing() => state.State.Info ?? throw new ResourceNotFoundException($"Experiment '{this.TenantAndId().Id}' does not exist.");
}

/// <summary>Persisted state of <see cref="ExperimentGrain"/>.</summary>
[GenerateSerializer]
public sealed class ExperimentState
{
    /// <summary>The experiment, once created.</summary>
    [Id(0)] public ExperimentInfo? Info { get; set; }
    /// <summary>The most recent events, oldest first.</summary>
    [Id(1)] public List<ExperimentEvent> Events { get; set; } = [];
    /// <summary>Sequence number of the last event appended.</summary>
    [Id(2)] public long LastSequence { get; set; }
    /// <summary>The newest news of every job started, by job name.</summary>
    [Id(3)] public Dictionary<string, ExperimentJobInfo> Jobs { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Index of the current stage in <see cref="ExperimentPlan.Stages"/>; -1 before the first.</summary>
    [Id(4)] public int StageIndex { get; set; } = -1;
}
