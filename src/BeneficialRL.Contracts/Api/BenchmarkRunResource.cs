using BeneficialRL.Contracts.BenchmarkRuns;
using BeneficialRL.Contracts.Work;

namespace BeneficialRL.Contracts.Api;

/// <summary>Body of <c>POST /api/v1/benchmark-runs</c>: <see cref="MaxItems"/> limits the run to the first items (smoke runs).</summary>
public sealed record CreateBenchmarkRunRequest(string CheckpointId, string BenchmarkId, int? MaxItems = null, int? SamplesPerItem = null);

/// <summary>A benchmark run as the API shows it; <see cref="Items"/> links its per-item results (JSONL).</summary>
public sealed record BenchmarkRunResource(
    string Id, string CheckpointId, string BenchmarkId, WorkStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, string Worker, int ItemsDone, int? ItemsTotal, BenchmarkSummary? Summary, string? Error, string? Items,
    int? MaxItems, BenchmarkVersion? Evaluated);

/// <summary>Where a run's Inspect log was stored.</summary>
/// <param name="FileName">The log's file name, as Inspect names logs.</param>
/// <param name="Path">Its blob path in the service's storage account.</param>
/// <param name="LogDirectory">The folder to point <c>inspect view --log-dir</c> at (every stored log of the tenant).</param>
public sealed record InspectLogResource(string FileName, string Path, string LogDirectory);
