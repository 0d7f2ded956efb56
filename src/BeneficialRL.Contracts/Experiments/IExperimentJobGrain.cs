using BeneficialRL.Contracts.Work;
namespace BeneficialRL.Contracts.Experiments;

/// <summary>
/// One unit of an experiment's work on a trainer silo (key <c>{tenant}/{experimentId}.{job}</c>): the base
/// model, one training run (arm × seed), one final evaluation, the persistence tests or the report. The work
/// runs off the grain turn in the silo's job worker; a reminder re-queues it wherever the grain is activated
/// after its silo was lost, and training resumes from the run's last checkpoint.
/// </summary>
public interface IExperimentJobGrain : IGrainWithStringKey
{
    /// <summary>Creates and queues the job; calling it again for an existing job returns it unchanged (idempotent).</summary>
    Task<ExperimentJobInfo> StartAsync(ExperimentJobRequest request);

    /// <summary>The job, or null when it was never started.</summary>
    Task<ExperimentJobInfo?> GetAsync();

    /// <summary>Marks the job running on this silo (the worker picked it up); counts attempts.</summary>
    Task<ExperimentJobInfo> MarkRunningAsync();

    /// <summary>Progress in the job's own unit (steps, benchmarks).</summary>
    Task ReportProgressAsync(long done, long total, string message);

    /// <summary>A training checkpoint was stored and registered; resuming starts from it.</summary>
    Task RecordCheckpointAsync(long step, string checkpointId);

    /// <summary>Finished: <paramref name="resultPath"/> names its main output blob.</summary>
    Task<ExperimentJobInfo> CompleteAsync(string? resultPath);

    /// <summary>Stopped by an error a user can act on.</summary>
    Task<ExperimentJobInfo> FailAsync(string error);

    /// <summary>Stops the job for good.</summary>
    Task<ExperimentJobInfo> CancelAsync();

    /// <summary>Stops the job at its next step boundary, keeping its checkpoints.</summary>
    Task<ExperimentJobInfo> PauseAsync();

    /// <summary>Queues a paused job again.</summary>
    Task<ExperimentJobInfo> ResumeAsync();
}

/// <summary>What a job does.</summary>
public enum ExperimentJobKind
{
    /// <summary>Base SFT (or loading the starting checkpoint).</summary>
    BaseModel,
    /// <summary>One arm × seed of RL.</summary>
    TrainingRun,
    /// <summary>The full evaluation of one run's final checkpoint.</summary>
    Evaluation,
    /// <summary>Adversarial prompting and harmful fine-tuning on the experiment's checkpoints.</summary>
    Persistence,
    /// <summary>Analysis and report.</summary>
    Report,
}

/// <summary>What to run.</summary>
[GenerateSerializer, Immutable]
public sealed record ExperimentJobRequest
{
    /// <summary>The job's name within the experiment, e.g. <c>train.treatment-s1</c>.</summary>
    [Id(0)] public required string Name { get; init; }
    /// <summary>The kind of work.</summary>
    [Id(1)] public required ExperimentJobKind Kind { get; init; }
    /// <summary>The experiment stage the job belongs to.</summary>
    [Id(2)] public required string Stage { get; init; }
    /// <summary>Arm, for training runs and evaluations.</summary>
    [Id(3)] public string? Arm { get; init; }
    /// <summary>Seed, for training runs and evaluations.</summary>
    [Id(4)] public long? Seed { get; init; }
}

/// <summary>A job as last recorded.</summary>
[GenerateSerializer, Immutable]
public sealed record ExperimentJobInfo
{
    /// <summary>The experiment.</summary>
    [Id(0)] public required string ExperimentId { get; init; }
    /// <summary>What it runs.</summary>
    [Id(1)] public required ExperimentJobRequest Request { get; init; }
    /// <summary>Status.</summary>
    [Id(2)] public required WorkStatus Status { get; init; }
    /// <summary>The silo hosting it now.</summary>
    [Id(3)] public string? Worker { get; init; }
    /// <summary>How many times a worker started it (more than one after a silo loss or a pause).</summary>
    [Id(4)] public int Attempts { get; init; }
    /// <summary>Units done.</summary>
    [Id(5)] public long Done { get; init; }
    /// <summary>Units in all (0 until known).</summary>
    [Id(6)] public long Total { get; init; }
    /// <summary>Latest progress message.</summary>
    [Id(7)] public string? Message { get; init; }
    /// <summary>Step of the last stored training checkpoint.</summary>
    [Id(8)] public long? LastCheckpointStep { get; init; }
    /// <summary>Id of the last stored training checkpoint.</summary>
    [Id(9)] public string? LastCheckpointId { get; init; }
    /// <summary>Main output blob, once completed.</summary>
    [Id(10)] public string? ResultPath { get; init; }
    /// <summary>Why it failed.</summary>
    [Id(11)] public string? Error { get; init; }
    /// <summary>Created.</summary>
    [Id(12)] public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Last started (an attempt).</summary>
    [Id(13)] public DateTimeOffset? StartedAt { get; init; }
    /// <summary>Reached a terminal status.</summary>
    [Id(14)] public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>Increments on every change, so the experiment keeps only the newest news.</summary>
    [Id(15)] public long Revision { get; init; }

    /// <summary>True once the job can no longer change.</summary>
    public bool IsTerminal => Status.IsTerminal();
}

/// <summary>Grain keys of experiment jobs: <c>{tenant}/{experimentId}.{job}</c> (experiment ids never contain a dot).</summary>
public static class ExperimentJobKeys
{
    /// <summary>The key of job <paramref name="job"/> of an experiment.</summary>
    public static string For(string tenant, string experimentId, string job) => $"{Resources.ResourceKey.For(tenant, experimentId)}.{job}";

    /// <summary>Tenant, experiment id and job name of a key made by <see cref="For"/>.</summary>
    public static (string Tenant, string ExperimentId, string Job) Parse(string key)
    {
        var (tenant, rest) = Resources.ResourceKey.Parse(key);
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == rest.Length - 1) throw new FormatException($"'{key}' is not an experiment job key.");
        return (tenant, rest[..dot], rest[(dot + 1)..]);
    }
}
