using BeneficialRL.Contracts.Work;
namespace BeneficialRL.Contracts.BenchmarkRuns;

/// <summary>
/// One evaluation of one benchmark on one checkpoint (key <c>{tenant}/{runId}</c>). The grain is placed
/// on a trainer silo, where the evaluation worker runs beside it; results are immutable blobs.
/// </summary>
public interface IBenchmarkRunGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the run in <see cref="WorkStatus.Queued"/> on this trainer silo and hands it to the
    /// silo's evaluation worker; a reminder hands it again if the silo is lost before it finishes.
    /// </summary>
    Task<BenchmarkRunInfo> CreateAsync(BenchmarkRunRequest request);

    /// <summary>Returns the run, or null when it does not exist.</summary>
    Task<BenchmarkRunInfo?> GetAsync();

    /// <summary>Marks the run running (again, from zero, when a worker restarts it).</summary>
    Task<BenchmarkRunInfo> MarkRunningAsync(int totalItems, BenchmarkVersion version);

    /// <summary>Records how many items are done.</summary>
    Task ReportProgressAsync(int itemsDone);

    /// <summary>Marks the run completed with its summary and the path of its per-item results.</summary>
    Task<BenchmarkRunInfo> CompleteAsync(BenchmarkSummary summary, string itemsPath);

    /// <summary>Marks the run failed.</summary>
    Task<BenchmarkRunInfo> FailAsync(string error);

    /// <summary>Cancels a queued or running run.</summary>
    Task<BenchmarkRunInfo> CancelAsync();
}

/// <summary>What to evaluate, and how much of it.</summary>
[GenerateSerializer, Immutable]
public sealed record BenchmarkRunRequest
{
    /// <summary>The checkpoint to evaluate.</summary>
    [Id(0)] public required string CheckpointId { get; init; }
    /// <summary>The benchmark to run.</summary>
    [Id(1)] public required string BenchmarkId { get; init; }
    /// <summary>Only the first items (for smoke runs); all when null.</summary>
    [Id(2)] public int? MaxItems { get; init; }
    /// <summary>Samples per item for generated formats; the benchmark's default when null.</summary>
    [Id(3)] public int? SamplesPerItem { get; init; }
    /// <summary>The suite run this run belongs to, if any.</summary>
    [Id(4)] public string? SuiteRunId { get; init; }
}

/// <summary>Exactly what was evaluated, so results link to checkpoint and benchmark versions.</summary>
[GenerateSerializer, Immutable]
public sealed record BenchmarkVersion(
    [property: Id(0)] string Version,
    [property: Id(1)] string ContentHash,
    [property: Id(2)] string CheckpointSha256);

/// <summary>Mean score with its uncertainty; higher is always better.</summary>
[GenerateSerializer, Immutable]
public sealed record BenchmarkSummary
{
    /// <summary>Mean score over items.</summary>
    [Id(0)] public required double Mean { get; init; }
    /// <summary>Standard error of the mean.</summary>
    [Id(1)] public required double StandardError { get; init; }
    /// <summary>Number of items.</summary>
    [Id(2)] public required int N { get; init; }
    /// <summary>Further named metrics (accuracy, refusal rate...).</summary>
    [Id(3)] public Dictionary<string, double> Metrics { get; init; } = [];
}

/// <summary>The public view of a benchmark run.</summary>
[GenerateSerializer, Immutable]
public sealed record BenchmarkRunInfo
{
    /// <summary>Run id, unique within the tenant.</summary>
    [Id(0)] public required string Id { get; init; }
    /// <summary>Owning tenant.</summary>
    [Id(1)] public required string Tenant { get; init; }
    /// <summary>The evaluated checkpoint.</summary>
    [Id(2)] public required string CheckpointId { get; init; }
    /// <summary>The benchmark.</summary>
    [Id(3)] public required string BenchmarkId { get; init; }
    /// <summary>Status.</summary>
    [Id(4)] public required WorkStatus Status { get; init; }
    /// <summary>Creation time.</summary>
    [Id(5)] public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>When evaluation started.</summary>
    [Id(6)] public DateTimeOffset? StartedAt { get; init; }
    /// <summary>When it reached a terminal status.</summary>
    [Id(7)] public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>The trainer silo the run lives on.</summary>
    [Id(8)] public required string Worker { get; init; }
    /// <summary>Items done so far.</summary>
    [Id(9)] public int ItemsDone { get; init; }
    /// <summary>Items in total, once known.</summary>
    [Id(10)] public int? ItemsTotal { get; init; }
    /// <summary>The result summary, once completed.</summary>
    [Id(11)] public BenchmarkSummary? Summary { get; init; }
    /// <summary>Where the per-item results (JSONL) are stored, once completed.</summary>
    [Id(12)] public string? ItemsPath { get; init; }
    /// <summary>Why it failed.</summary>
    [Id(13)] public string? Error { get; init; }
    /// <summary>What was asked for.</summary>
    [Id(14)] public BenchmarkRunRequest? Request { get; init; }
    /// <summary>The benchmark and checkpoint versions evaluated, once running.</summary>
    [Id(15)] public BenchmarkVersion? Evaluated { get; init; }
    /// <summary>Attempts started (an infrastructure failure leaves the run to be tried again).</summary>
    [Id(16)] public int Attempts { get; init; }
}
