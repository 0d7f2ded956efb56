using BeneficialRL.Contracts.BenchmarkRuns;
using BeneficialRL.Contracts.Catalog;
using BeneficialRL.Contracts.Work;
using BeneficialRL.Grains.Catalog;
using BeneficialRL.Grains.Hosting;
using BeneficialRL.Grains.Placement;
using BeneficialRL.Grains.Workers;
using Microsoft.Extensions.Options;

namespace BeneficialRL.Grains.BenchmarkRuns;

/// <summary>
/// One benchmark evaluated on one checkpoint. Placed on trainer silos because the evaluation worker
/// runs on the silo that hosts the grain.
/// </summary>
[TrainerPlacementFilter]
public sealed class BenchmarkRunGrain(
    [PersistentState("run", GrainStorageNames.Default)] IPersistentState<BenchmarkRunState> state,
    ILocalSiloDetails silo,
    EvaluationWorker worker,
    IOptions<RecoveryOptions> recovery,
    TimeProvider time) : WorkItemGrain<BenchmarkRunInfo>(worker, silo, recovery, time), IBenchmarkRunGrain
{
    /// <inheritdoc />
    protected override BenchmarkRunInfo? Info { get => state.State.Info; set => state.State.Info = value; }

    /// <inheritdoc />
    protected override Task WriteAsync() => state.WriteStateAsync();

    /// <inheritdoc />
    protected override WorkStatus StatusOf(BenchmarkRunInfo info) => info.Status;

    /// <inheritdoc />
    protected override BenchmarkRunInfo Stamp(BenchmarkRunInfo info, DateTimeOffset now) => info with { Worker = Silo.Name };

    /// <inheritdoc />
    protected override string Describe() => $"Benchmark run '{this.TenantAndId().Id}'";

    /// <inheritdoc />
    protected override Task UpgradeStateAsync(CancellationToken cancellationToken) =>
        UpgradeRunStatusAsync(state.State.StatusScheme, scheme => state.State.StatusScheme = scheme, (info, status) => info with { Status = status });

    /// <inheritdoc />
    public Task<BenchmarkRunInfo> CreateAsync(BenchmarkRunRequest request)
    {
        state.State.StatusScheme = WorkStatuses.CurrentRunStatusScheme;
        return CreateIndexedAsync(ResourceKinds.BenchmarkRuns, (tenant, id, now) => new BenchmarkRunInfo
        {
            Id = id,
            Tenant = tenant,
            CheckpointId = request.CheckpointId,
            BenchmarkId = request.BenchmarkId,
            Status = WorkStatus.Queued,
            CreatedAt = now,
            Worker = Silo.Name,
            Request = request,
        });
    }

    /// <inheritdoc />
    public Task<BenchmarkRunInfo?> GetAsync() => Task.FromResult(Current((info, worker) => info with { Worker = worker }));

    /// <inheritdoc />
    public Task<BenchmarkRunInfo> MarkRunningAsync(int totalItems, BenchmarkVersion version) =>
        Lifecycle.ChangeAsync([WorkStatus.Queued, WorkStatus.Running], "start", (info, now) => info with
        {
            Status = WorkStatus.Running,
            StartedAt = now,
            ItemsTotal = totalItems,
            ItemsDone = 0,
            Evaluated = version,
            Attempts = info.Attempts + 1,
        });

    /// <inheritdoc />
    public async Task ReportProgressAsync(int itemsDone)
    {
        if (state.State.Info is not { Status: WorkStatus.Running }) return; // cancelled meanwhile: stale news
        await Lifecycle.ChangeAsync([WorkStatus.Running], "report progress", (info, _) => info with { ItemsDone = itemsDone });
    }

    /// <inheritdoc />
    public Task<BenchmarkRunInfo> CompleteAsync(BenchmarkSummary summary, string itemsPath) =>
        Lifecycle.ChangeAsync([WorkStatus.Running], "complete", (info, now) => info with
        {
            Status = WorkStatus.Completed,
            FinishedAt = now,
            Summary = summary,
            ItemsPath = itemsPath,
            ItemsDone = info.ItemsTotal ?? info.ItemsDone,
        });

    /// <inheritdoc />
    public Task<BenchmarkRunInfo> FailAsync(string error) =>
        Lifecycle.ChangeAsync([WorkStatus.Queued, WorkStatus.Running], "fail", (info, now) => info with { Status = WorkStatus.Failed, FinishedAt = now, Error = error });

    /// <inheritdoc />
    public async Task<BenchmarkRunInfo> CancelAsync()
    {
        var info = Lifecycle.Existing();
        if (info.Status == WorkStatus.Cancelled) return info;
        Lifecycle.StopWork();
        return await Lifecycle.ChangeAsync([WorkStatus.Queued, WorkStatus.Running], "be cancelled", (i, now) => i with { Status = WorkStatus.Cancelled, FinishedAt = now });
    }
}

/// <summary>Persisted state of <see cref="BenchmarkRunGrain"/>.</summary>
[GenerateSerializer]
public sealed class BenchmarkRunState
{
    /// <summary>The run, once created.</summary>
    [Id(0)] public BenchmarkRunInfo? Info { get; set; }

    /// <summary>0 for state stored before <see cref="WorkStatus"/> (its status values differ); <see cref="WorkStatuses.CurrentRunStatusScheme"/> since.</summary>
    [Id(1)] public int StatusScheme { get; set; }
}
