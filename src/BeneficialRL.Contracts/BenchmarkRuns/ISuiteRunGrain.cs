using BeneficialRL.Contracts.Work;
namespace BeneficialRL.Contracts.BenchmarkRuns;

/// <summary>
/// A suite of benchmarks run on one checkpoint (key <c>{tenant}/{suiteRunId}</c>): fans out one
/// benchmark run per benchmark (each placed on a trainer silo, so several trainers share the work)
/// and gathers their summaries.
/// </summary>
public interface ISuiteRunGrain : IGrainWithStringKey
{
    /// <summary>Creates the suite run and one queued benchmark run per benchmark id.</summary>
    Task<SuiteRunInfo> CreateAsync(string checkpointId, string suite, IReadOnlyList<string> benchmarkIds, int? maxItemsPerBenchmark, int? samplesPerItem);

    /// <summary>The suite run with its runs' current status and summaries; null when it does not exist.</summary>
    Task<SuiteRunInfo?> GetAsync();

    /// <summary>Cancels every run that has not finished.</summary>
    Task<SuiteRunInfo> CancelAsync();
}

/// <summary>A suite run and what its benchmark runs have produced so far.</summary>
[GenerateSerializer, Immutable]
public sealed record SuiteRunInfo
{
    /// <summary>Suite run id.</summary>
    [Id(0)] public required string Id { get; init; }
    /// <summary>The evaluated checkpoint.</summary>
    [Id(1)] public required string CheckpointId { get; init; }
    /// <summary>The suite's name (<c>builtin</c>, <c>held-out</c>, <c>all</c> or <c>custom</c>).</summary>
    [Id(2)] public required string Suite { get; init; }
    /// <summary>Creation time.</summary>
    [Id(3)] public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>The benchmark runs, in benchmark order.</summary>
    [Id(4)] public required List<BenchmarkRunInfo> Runs { get; init; }
    /// <summary>Completed runs.</summary>
    public int Completed => Runs.Count(r => r.Status == WorkStatus.Completed);
    /// <summary>Failed or cancelled runs.</summary>
    public int Stopped => Runs.Count(r => r.Status is WorkStatus.Failed or WorkStatus.Cancelled);
    /// <summary>True when no run is queued or running.</summary>
    public bool Finished => Runs.All(r => r.Status is not (WorkStatus.Queued or WorkStatus.Running));
}
