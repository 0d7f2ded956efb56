using BeneficialRL.Contracts.BenchmarkRuns;
using BeneficialRL.Contracts.Catalog;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Grains.Catalog;
using BeneficialRL.Grains.Placement;

namespace BeneficialRL.Grains.BenchmarkRuns;

/// <summary>
/// One benchmark evaluated on one checkpoint. Placed on trainer silos because the evaluation worker
/// runs on the silo that hosts the grain.
/// </summary>
[TrainerPlacementFilter]
public sealed class BenchmarkRunGrain(
    [PersistentState("run", GrainStorageNames.Default)] IPersistentState<BenchmarkRunState> state,
    ILocalSiloDetails silo,
    TimeProvider time) : Grain, IBenchmarkRunGrain
{
    /// <inheritdoc />
    public async Task<BenchmarkRunInfo> CreateAsync(string checkpointId, string benchmarkId)
    {
        if (state.State.Info is not null) throw new ResourceAlreadyExistsException($"Benchmark run '{state.State.Info.Id}' already exists.");
        var (tenant, id) = this.TenantAndId();
        var now = time.GetUtcNow();
        await GrainFactory.IndexAsync(tenant, ResourceKinds.BenchmarkRuns, id, now);
        state.State.Info = new BenchmarkRunInfo
        {
            Id = id,
            Tenant = tenant,
            CheckpointId = checkpointId,
            BenchmarkId = benchmarkId,
            Status = BenchmarkRunStatus.Queued,
            CreatedAt = now,
            Worker = silo.Name,
        };
        await state.WriteStateAsync();
        return state.State.Info;
    }

    /// <inheritdoc />
    public Task<BenchmarkRunInfo?> GetAsync() =>
        // The run lives wherever the grain is activated now: after a silo loss that may be another trainer.
        Task.FromResult(state.State.Info is { } info ? info with { Worker = silo.Name } : null);

    /// <inheritdoc />
    public Task<BenchmarkRunInfo> MarkRunningAsync(int totalItems) =>
        MoveAsync(BenchmarkRunStatus.Queued, BenchmarkRunStatus.Running, (info, now) => info with { StartedAt = now, ItemsTotal = totalItems, ItemsDone = 0 });

    /// <inheritdoc />
    public async Task ReportProgressAsync(int itemsDone)
    {
        var info = Existing();
        if (info.Status != BenchmarkRunStatus.Running) throw new InvalidResourceStateException($"Benchmark run '{info.Id}' is {info.Status}, not running.");
        state.State.Info = info with { ItemsDone = itemsDone };
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<BenchmarkRunInfo> CompleteAsync(BenchmarkSummary summary, string itemsPath) =>
        MoveAsync(BenchmarkRunStatus.Running, BenchmarkRunStatus.Completed, (info, now) => info with { FinishedAt = now, Summary = summary, ItemsPath = itemsPath, ItemsDone = info.ItemsTotal ?? info.ItemsDone });

    /// <inheritdoc />
    public async Task<BenchmarkRunInfo> FailAsync(string error)
    {
        var info = Existing();
        if (info.Status is not (BenchmarkRunStatus.Queued or BenchmarkRunStatus.Running)) throw new InvalidResourceStateException($"Benchmark run '{info.Id}' is {info.Status} and cannot fail.");
        return await MoveAsync(info.Status, BenchmarkRunStatus.Failed, (i, now) => i with { FinishedAt = now, Error = error });
    }

    /// <inheritdoc />
    public async Task<BenchmarkRunInfo> CancelAsync()
    {
        var info = Existing();
        if (info.Status == BenchmarkRunStatus.Cancelled) return info;
        if (info.Status is not (BenchmarkRunStatus.Queued or BenchmarkRunStatus.Running)) throw new InvalidResourceStateException($"Benchmark run '{info.Id}' is {info.Status} and cannot be cancelled.");
        return await MoveAsync(info.Status, BenchmarkRunStatus.Cancelled, (i, now) => i with { FinishedAt = now });
    }

    private async Task<BenchmarkRunInfo> MoveAsync(BenchmarkRunStatus from, BenchmarkRunStatus to, Func<BenchmarkRunInfo, DateTimeOffset, BenchmarkRunInfo> apply)
    {
        var info = Existing();
        if (info.Status != from) throw new InvalidResourceStateException($"Benchmark run '{info.Id}' is {info.Status} and cannot become {to}.");
        state.State.Info = apply(info, time.GetUtcNow()) with { Status = to, Worker = silo.Name };
        await state.WriteStateAsync();
        return state.State.Info;
    }

    private BenchmarkRunInfo Existing() => state.State.Info ?? throw new ResourceNotFoundException($"Benchmark run '{this.TenantAndId().Id}' does not exist.");
}

/// <summary>Persisted state of <see cref="BenchmarkRunGrain"/>.</summary>
[GenerateSerializer]
public sealed class BenchmarkRunState
{
    /// <summary>The run, once created.</summary>
    [Id(0)] public BenchmarkRunInfo? Info { get; set; }
}
