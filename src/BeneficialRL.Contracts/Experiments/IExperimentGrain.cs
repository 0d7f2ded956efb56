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

    /// <summary>Moves a created experiment to <see cref="ExperimentStatus.Queued"/> so a trainer silo picks it up.</summary>
    Task<ExperimentInfo> SubmitAsync();

    /// <summary>Marks the experiment running on <paramref name="worker"/>.</summary>
    Task<ExperimentInfo> MarkRunningAsync(string worker);

    /// <summary>Records progress of the current stage (fraction in [0, 1]).</summary>
    Task ReportProgressAsync(string stage, double fraction, string? message);

    /// <summary>Marks the experiment completed.</summary>
    Task<ExperimentInfo> CompleteAsync();

    /// <summary>Marks the experiment failed with an error a user can act on.</summary>
    Task<ExperimentInfo> FailAsync(string error);

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
        (ExperimentStatus.Created or ExperimentStatus.Queued or ExperimentStatus.Running, ExperimentStatus.Cancelled) => true,
        (ExperimentStatus.Queued, ExperimentStatus.Failed) => true,
        _ => false,
    };
}

/// <summary>What a researcher asks for. Later issues add the arms, budget and evaluation sections.</summary>
[GenerateSerializer, Immutable]
public sealed record ExperimentSpec
{
    /// <summary>Display name.</summary>
    [Id(0)] public required string Name { get; init; }
    /// <summary>Optional description.</summary>
    [Id(1)] public string? Description { get; init; }
    /// <summary>Free-form labels for filtering and grouping.</summary>
    [Id(2)] public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
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
}

/// <summary>One entry of an experiment's event log, delivered to SSE subscribers in sequence order.</summary>
[GenerateSerializer, Immutable]
public sealed record ExperimentEvent
{
    /// <summary>Strictly increasing, starting at 1.</summary>
    [Id(0)] public required long Sequence { get; init; }
    /// <summary>When it happened.</summary>
    [Id(1)] public required DateTimeOffset At { get; init; }
    /// <summary><c>status</c> or <c>progress</c>.</summary>
    [Id(2)] public required string Kind { get; init; }
    /// <summary>The status after the event.</summary>
    [Id(3)] public required ExperimentStatus Status { get; init; }
    /// <summary>The stage, for progress events.</summary>
    [Id(4)] public string? Stage { get; init; }
    /// <summary>The stage's completed fraction, for progress events.</summary>
    [Id(5)] public double? Fraction { get; init; }
    /// <summary>A human-readable message.</summary>
    [Id(6)] public string? Message { get; init; }
}
