namespace BeneficialRL.Contracts.Work;

/// <summary>
/// Where a piece of queued work is (an experiment job, a benchmark run, a persistence run): one lifecycle for all three.
/// </summary>
/// <remarks>
/// Stored by value in grain state: the values are the experiment jobs' from before this enum, and never change.
/// Benchmark and persistence runs stored before it used 2, 3 and 4 for Completed, Failed and Cancelled; their grains
/// convert such state once when it is read (<see cref="WorkStatuses.FromRunStatusBefore2026December"/>).
/// </remarks>
public enum WorkStatus
{
    /// <summary>Waiting for its silo's worker.</summary>
    Queued = 0,
    /// <summary>Being worked on.</summary>
    Running = 1,
    /// <summary>Held by a pause (experiment jobs only).</summary>
    Paused = 2,
    /// <summary>Done; results available.</summary>
    Completed = 3,
    /// <summary>Stopped by an error.</summary>
    Failed = 4,
    /// <summary>Stopped by a user, for good.</summary>
    Cancelled = 5,
}

/// <summary>The transitions of <see cref="WorkStatus"/>, in one table, and what each status means to a worker.</summary>
public static class WorkStatuses
{
    private static readonly HashSet<(WorkStatus From, WorkStatus To)> Transitions =
    [
        (WorkStatus.Queued, WorkStatus.Running),
        (WorkStatus.Queued, WorkStatus.Paused),
        (WorkStatus.Queued, WorkStatus.Failed),
        (WorkStatus.Queued, WorkStatus.Cancelled),
        // Another attempt after an infrastructure failure, on this silo or another.
        (WorkStatus.Running, WorkStatus.Running),
        (WorkStatus.Running, WorkStatus.Paused),
        (WorkStatus.Running, WorkStatus.Completed),
        (WorkStatus.Running, WorkStatus.Failed),
        (WorkStatus.Running, WorkStatus.Cancelled),
        (WorkStatus.Paused, WorkStatus.Queued),
        (WorkStatus.Paused, WorkStatus.Cancelled),
    ];

    /// <summary>The status scheme runs record since <see cref="WorkStatus"/> (0: stored before it).</summary>
    public const int CurrentRunStatusScheme = 1;

    /// <summary>Whether work may go from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool CanMove(WorkStatus from, WorkStatus to) => Transitions.Contains((from, to));

    /// <summary>Completed, failed or cancelled: nothing moves it again.</summary>
    public static bool IsTerminal(this WorkStatus status) => status is WorkStatus.Completed or WorkStatus.Failed or WorkStatus.Cancelled;

    /// <summary>Queued or running: a worker should be (or get) at it.</summary>
    public static bool IsRunnable(this WorkStatus status) => status is WorkStatus.Queued or WorkStatus.Running;

    /// <summary>
    /// A benchmark or persistence run's status as stored before <see cref="WorkStatus"/> (Queued, Running, Completed,
    /// Failed, Cancelled as 0 to 4), read back as a <see cref="WorkStatus"/>.
    /// </summary>
    public static WorkStatus FromRunStatusBefore2026December(WorkStatus stored) => (int)stored switch
    {
        0 => WorkStatus.Queued,
        1 => WorkStatus.Running,
        2 => WorkStatus.Completed,
        3 => WorkStatus.Failed,
        4 => WorkStatus.Cancelled,
        _ => throw new InvalidDataException($"A run stored before December 2026 cannot have status value {(int)stored}."),
    };
}
