using BeneficialRL.Contracts.Work;
namespace BeneficialRL.Contracts.Durability;

/// <summary>
/// Persistence tests of one checkpoint (key <c>{tenant}/{runId}</c>): adversarial prompting and a harmful fine-tuning
/// dose ladder, compared with a reference checkpoint. Runs on a trainer silo off the grain turn; a reminder re-queues
/// it after its silo was lost (it then starts over: a run holds no intermediate state worth resuming).
/// </summary>
public interface IPersistenceRunGrain : IGrainWithStringKey
{
    /// <summary>Creates and queues the run.</summary>
    Task<PersistenceRunInfo> CreateAsync(PersistenceRunRequest request);

    /// <summary>The run, or null when it does not exist.</summary>
    Task<PersistenceRunInfo?> GetAsync();

    /// <summary>The worker started it.</summary>
    Task<PersistenceRunInfo> MarkRunningAsync();

    /// <summary>Progress of the current phase.</summary>
    Task ReportProgressAsync(string phase, long done, long total, string message);

    /// <summary>Finished: where the result and its report are.</summary>
    Task<PersistenceRunInfo> CompleteAsync(string resultPath, string reportPath, IReadOnlyList<string> doseCheckpointIds);

    /// <summary>Stopped by an error a user can act on.</summary>
    Task<PersistenceRunInfo> FailAsync(string error);

    /// <summary>Stops a queued or running run.</summary>
    Task<PersistenceRunInfo> CancelAsync();
}

/// <summary>What to run.</summary>
[GenerateSerializer, Immutable]
public sealed record PersistenceRunRequest
{
    /// <summary>The checkpoint under test.</summary>
    [Id(0)] public required string CheckpointId { get; init; }
    /// <summary>The checkpoint it is compared with, if any.</summary>
    [Id(1)] public string? ReferenceCheckpointId { get; init; }
    /// <summary>The persistence spec as camelCase JSON (the Persistence library's PersistenceSpec), validated.</summary>
    [Id(2)] public required string Spec { get; init; }
}

/// <summary>The public view of a persistence run.</summary>
[GenerateSerializer, Immutable]
public sealed record PersistenceRunInfo
{
    /// <summary>Run id.</summary>
    [Id(0)] public required string Id { get; init; }
    /// <summary>Owning tenant.</summary>
    [Id(1)] public required string Tenant { get; init; }
    /// <summary>What was asked for.</summary>
    [Id(2)] public required PersistenceRunRequest Request { get; init; }
    /// <summary>Status.</summary>
    [Id(3)] public required WorkStatus Status { get; init; }
    /// <summary>Created.</summary>
    [Id(4)] public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Started (the latest attempt).</summary>
    [Id(5)] public DateTimeOffset? StartedAt { get; init; }
    /// <summary>Finished.</summary>
    [Id(6)] public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>The silo hosting it.</summary>
    [Id(7)] public string? Worker { get; init; }
    /// <summary>Current phase (adversarial, fine-tuning, analysis).</summary>
    [Id(8)] public string? Phase { get; init; }
    /// <summary>Units done in the phase.</summary>
    [Id(9)] public long Done { get; init; }
    /// <summary>Units in the phase.</summary>
    [Id(10)] public long Total { get; init; }
    /// <summary>Latest progress message.</summary>
    [Id(11)] public string? Message { get; init; }
    /// <summary>Blob path of the result JSON.</summary>
    [Id(12)] public string? ResultPath { get; init; }
    /// <summary>Blob path of the report page.</summary>
    [Id(13)] public string? ReportPath { get; init; }
    /// <summary>Checkpoint resources made by the dose ladder.</summary>
    [Id(14)] public List<string> DoseCheckpointIds { get; init; } = [];
    /// <summary>Why it failed.</summary>
    [Id(15)] public string? Error { get; init; }
    /// <summary>Attempts started.</summary>
    [Id(16)] public int Attempts { get; init; }
}
