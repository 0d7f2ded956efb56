using BeneficialRL.Contracts.BenchmarkRuns;
using BeneficialRL.Contracts.Catalog;
using BeneficialRL.Contracts.Work;
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
[LeastBusyTrainerPlacement]
public sealed class BenchmarkRunGrain(
    [PersistentState("run", GrainStorageNames.Default)] IPersistentState<BenchmarkRunState> state,
    ILocalSiloDetails silo,
    EvaluationWorker worker,
    IOptions<RecoveryOptions> recovery,
    TimeProvider time) : RunGrain<BenchmarkRunInfo, BenchmarkRunState>("Benchmark run", state, worker, silo, recovery, time), IBenchmarkRunGrain
{
    /// <inheritdoc />
    protected override WorkStatus StatusOf(BenchmarkRunInfo info) => info.Status;

    /// <inheritdoc />
    protected override BenchmarkRunInfo With(BenchmarkRunInfo info, RunChange change) =>
        info with { Status = change.Status ?? info.Status, Worker = change.Worker ?? info.Worker, FinishedAt = change.FinishedAt ?? info.FinishedAt, Error = change.Error ?? info.Error };

    /// <inheritdoc />
    public Task<BenchmarkRunInfo> CreateAsync(BenchmarkRunRequest request) =>
        CreateIndexedAsync(ResourceKinds.BenchmarkRuns, (tenant, id, now) => new BenchmarkRunInfo
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
        if (!IsRunning) return;
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
}

/// <summary>Persisted state of <see cref="BenchmarkRunGrain"/>.</summary>
[GenerateSerializer]
public sealed class BenchmarkRunState : IRunState<BenchmarkRunInfo>
{
    /// <inheritdoc />
    [Id(0)] public BenchmarkRunInfo? Info { get; set; }

    /// <inheritdoc />
    [Id(1)] public int StatusScheme { get; set; }
}
