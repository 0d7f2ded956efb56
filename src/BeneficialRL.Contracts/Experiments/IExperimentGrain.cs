using Orleans.Concurrency;

namespace BeneficialRL.Contracts.Experiments;

/// <summary>
/// One experiment (key <c>{tenant}/{experimentId}</c>) and its lifecycle:
/// Created → Queued → Running → Completed | Failed | Cancelled, each transition timestamped,
/// with an ordered event log that progress subscribers (SSE) read from.
/// </summary>
public interface IExperimentGrain : IGrainWithStringKey
{
    /// <summary>Creates the experiment in <see cref="ExperimentStatus.Created"/>.</summary>
    Task<ExperimentInfo> CreateAsync(ExperimentSpec spec);

    /// <summary>Returns the experiment, or null when it does not exist.</summary>
    Task<ExperimentInfo?> GetAsync();

    /// <summary>The experiment's jobs (base model, training runs, evaluations, persistence, report) as last reported.</summary>
    Task<IReadOnlyList<ExperimentJobInfo>> GetJobsAsync();

    /// <summary>Stops every running job at its next step boundary; training runs keep their last checkpoint.</summary>
    Task<ExperimentInfo> PauseAsync(long? expectedRevision);

    /// <summary>Resumes a paused experiment: training runs continue from their last checkpoint.</summary>
    Task<ExperimentInfo> ResumeAsync(long? expectedRevision);

    /// <summary>
    /// A job's news (progress, checkpoint, completion, failure). One-way so a job grain never waits on the
    /// experiment grain while the experiment grain may be calling it; a lost message is repaired by the
    /// experiment's reconcile reminder, which reads every job again.
    /// </summary>
    [OneWay]
    Task OnJobUpdatedAsync(ExperimentJobInfo job);

    /// <summary>Records a warning a researcher should see (e.g. the reward-hacking alarm); kept on the experiment and sent as an event.</summary>
    [OneWay]
    Task RaiseAlarmAsync(ExperimentAlarm alarm);

    /// <summary>Moves a created experiment to <see cref="ExperimentStatus.Queued"/> so a trainer silo picks it up.</summary>
    Task<ExperimentInfo> SubmitAsync();

    /// <summary>Cancels a created, queued or running experiment; cancelling a cancelled one is a no-op.</summary>
    Task<ExperimentInfo> CancelAsync(string? reason, long? expectedRevision);

    /// <summary>Changes the name and description when <paramref name="expectedRevision"/> (if given) is current.</summary>
    Task<ExperimentInfo> UpdateAsync(string? name, string? description, long? expectedRevision);

    /// <summary>Events with a sequence number greater than <paramref name="afterSequence"/>, oldest first.</summary>
    Task<IReadOnlyList<ExperimentEvent>> GetEventsAsync(long afterSequence);
}

/// <summary>Where an experiment is in its lifecycle.</summary>
public enum ExperimentStatus
{
    /// <summary>Stored, not yet submitted.</summary>
    Created,
    /// <summary>Waiting for a trainer silo.</summary>
    Queued,
    /// <summary>A trainer silo is working on it.</summary>
    Running,
    /// <summary>Finished successfully.</summary>
    Completed,
    /// <summary>Stopped by an error.</summary>
    Failed,
    /// <summary>Stopped by a user.</summary>
    Cancelled,
    /// <summary>Held by a user; resumes from the last checkpoints.</summary>
    Paused,
}

/// <summary>Lifecycle rules shared by the grain and the API.</summary>
public static class ExperimentLifecycle
{
    /// <summary>True once the experiment can no longer change status.</summary>
    public static bool IsTerminal(this ExperimentStatus status) =>
        status is ExperimentStatus.Completed or ExperimentStatus.Failed or ExperimentStatus.Cancelled;

    /// <summary>True when the state machine allows going from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool CanMove(ExperimentStatus from, ExperimentStatus to) => (from, to) switch
    {
        (ExperimentStatus.Created, ExperimentStatus.Queued) => true,
        (ExperimentStatus.Queued, ExperimentStatus.Running) => true,
        (ExperimentStatus.Running, ExperimentStatus.Completed or ExperimentStatus.Failed) => true,
        (ExperimentStatus.Created or ExperimentStatus.Queued or ExperimentStatus.Running or ExperimentStatus.Paused, ExperimentStatus.Cancelled) => true,
        (ExperimentStatus.Queued, ExperimentStatus.Failed) => true,
        (ExperimentStatus.Queued or ExperimentStatus.Running, ExperimentStatus.Paused) => true,
        (ExperimentStatus.Paused, ExperimentStatus.Running or ExperimentStatus.Queued) => true,
        _ => false,
    };
}

/// <summary>What a researcher asks for: a name and labels, and (for experiments that run) the full definition.</summary>
[GenerateSerializer, Immutable]
public sealed record ExperimentSpec
{
    /// <summary>Display name.</summary>
    [Id(0)] public required string Name { get; init; }
    /// <summary>Optional description.</summary>
    [Id(1)] public string? Description { get; init; }
    /// <summary>Free-form labels for filtering and grouping.</summary>
    [Id(2)] public Dictionary<string, string> Labels { get; init; } = [];
    /// <summary>
    /// The validated experiment definition as camelCase JSON (the Experiments library's ExperimentDefinition);
    /// null for a record-only experiment that no trainer runs.
    /// </summary>
    [Id(3)] public string? Definition { get; init; }
}

/// <summary>Progress of the current stage.</summary>
[GenerateSerializer, Immutable]
public sealed record ExperimentProgress(
    [property: Id(0)] string Stage,
    [property: Id(1)] double Fraction,
    [property: Id(2)] string? Message,
    [property: Id(3)] DateTimeOffset UpdatedAt);

/// <summary>The public view of an experiment.</summary>
[GenerateSerializer, Immutable]
public sealed record ExperimentInfo
{
    /// <summary>Experiment id, unique within the tenant.</summary>
    [Id(0)] public required string Id { get; init; }
    /// <summary>Owning tenant.</summary>
    [Id(1)] public required string Tenant { get; init; }
    /// <summary>What was asked for.</summary>
    [Id(2)] public required ExperimentSpec Spec { get; init; }
    /// <summary>Lifecycle status.</summary>
    [Id(3)] public required ExperimentStatus Status { get; init; }
    /// <summary>Creation time.</summary>
    [Id(4)] public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>When it was queued.</summary>
    [Id(5)] public DateTimeOffset? QueuedAt { get; init; }
    /// <summary>When it started running.</summary>
    [Id(6)] public DateTimeOffset? StartedAt { get; init; }
    /// <summary>When it reached a terminal status.</summary>
    [Id(7)] public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>Why it failed or was cancelled.</summary>
    [Id(8)] public string? Error { get; init; }
    /// <summary>Latest progress, if any.</summary>
    [Id(9)] public ExperimentProgress? Progress { get; init; }
    /// <summary>The silo working on it, if any.</summary>
    [Id(10)] public string? Worker { get; init; }
    /// <summary>Increments on every change; the HTTP ETag.</summary>
    [Id(11)] public required long Revision { get; init; }
    /// <summary>Stages started so far, in order, with their timings.</summary>
    [Id(12)] public List<ExperimentStageInfo> Stages { get; init; } = [];
    /// <summary>Where the report is, once written.</summary>
    [Id(13)] public ExperimentResults? Results { get; init; }
    /// <summary>Warnings raised while it ran (e.g. reward hacking), oldest first.</summary>
    [Id(14)] public List<ExperimentAlarm> Alarms { get; init; } = [];
}

/// <summary>One stage of an experiment: <c>base-model</c>, <c>training</c>, <c>evaluation</c>, <c>persistence</c>, <c>report</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record ExperimentStageInfo
{
    /// <summary>Stage name.</summary>
    [Id(0)] public required string Name { get; init; }
    /// <summary>When its first job was started.</summary>
    [Id(1)] public required DateTimeOffset StartedAt { get; init; }
    /// <summary>When its last job finished.</summary>
    [Id(2)] public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>Wall seconds, once finished.</summary>
    public double? Seconds => FinishedAt is { } end ? (end - StartedAt).TotalSeconds : null;
}

/// <summary>Where a finished experiment's outputs are (blob paths, downloadable through the API).</summary>
[GenerateSerializer, Immutable]
public sealed record ExperimentResults
{
    /// <summary>Blob folder of the report (<c>tenants/{tenant}/reports/{experimentId}/</c>).</summary>
    [Id(0)] public required string ReportFolder { get; init; }
    /// <summary>The report's JSON (its <c>files</c> member lists the HTML page and plots in the folder).</summary>
    [Id(1)] public required string ReportJson { get; init; }
    /// <summary>The self-contained HTML page.</summary>
    [Id(2)] public required string ReportHtml { get; init; }
}

/// <summary>A warning raised while an experiment ran.</summary>
[GenerateSerializer, Immutable]
public sealed record ExperimentAlarm
{
    /// <summary>Kind, e.g. <c>reward-hacking</c>.</summary>
    [Id(0)] public required string Kind { get; init; }
    /// <summary>The run it concerns, e.g. <c>treatment-s1</c>.</summary>
    [Id(1)] public string? Run { get; init; }
    /// <summary>Training step it was raised at.</summary>
    [Id(2)] public long? Step { get; init; }
    /// <summary>What was seen.</summary>
    [Id(3)] public required string Message { get; init; }
    /// <summary>When.</summary>
    [Id(4)] public required DateTimeOffset At { get; init; }
}

/// <summary>One entry of an experiment's event log, delivered to SSE subscribers in sequence order.</summary>
[GenerateSerializer, Immutable]
public sealed record ExperimentEvent
{
    /// <summary>Strictly increasing, starting at 1.</summary>
    [Id(0)] public required long Sequence { get; init; }
    /// <summary>When it happened.</summary>
    [Id(1)] public required DateTimeOffset At { get; init; }
    /// <summary><c>status</c>, <c>progress</c>, <c>stage</c> or <c>alarm</c>.</summary>
    [Id(2)] public required string Kind { get; init; }
    /// <summary>The status after the event.</summary>
    [Id(3)] public required ExperimentStatus Status { get; init; }
    /// <summary>The stage, for progress events.</summary>
    [Id(4)] public string? Stage { get; init; }
    /// <summary>The stage's completed fraction, for progress events.</summary>
    [Id(5)] public double? Fraction { get; init; }
    /// <summary>A human-readable message.</summary>
    [Id(6)] public string? Message { get; init; }
    /// <summary>The job the event is about (e.g. <c>train.treatment-s1</c>), for progress of one of several parallel jobs.</summary>
    [Id(7)] public string? Job { get; init; }
}
