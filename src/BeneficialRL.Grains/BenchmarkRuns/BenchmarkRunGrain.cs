using BeneficialRL.Contracts.BenchmarkRuns;
using BeneficialRL.Contracts.Catalog;
using BeneficialRL.Contracts.Resources;
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
    TimeProvider time) : Grain, IBenchmarkRunGrain, IRemindable
{
    private const string ResumeReminder = "resume";

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Info is { Status: BenchmarkRunStatus.Queued or BenchmarkRunStatus.Running })
        {
            await RecoveryReminders.EnsureAsync(this, ResumeReminder, recovery.Value.ReminderPeriod);
            // Activated again after its silo was lost (by the reminder, or a call): the work was lost with it.
            worker.Enqueue(this.GetPrimaryKeyString());
        }

        await base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.Info is not { Status: BenchmarkRunStatus.Queued or BenchmarkRunStatus.Running })
        {
            await RecoveryReminders.RemoveAsync(this, reminderName);
            return;
        }

        worker.Enqueue(this.GetPrimaryKeyString());
    }

    /// <inheritdoc />
    public async Task<BenchmarkRunInfo> CreateAsync(BenchmarkRunRequest request)
    {
        if (state.State.Info is not null) throw new ResourceAlreadyExistsException($"Benchmark run '{state.State.Info.Id}' already exists.");
        var (tenant, id) = this.TenantAndId();
        var now = time.GetUtcNow();
        await GrainFactory.IndexAsync(tenant, ResourceKinds.BenchmarkRuns, id, now);
        // The reminder before the state: a silo lost between the two must not leave a queued run that nothing queues again.
        await RecoveryReminders.EnsureAsync(this, ResumeReminder, recovery.Value.ReminderPeriod);
        state.State.Info = new BenchmarkRunInfo
        {
            Id = id,
            Tenant = tenant,
            CheckpointId = request.CheckpointId,
            BenchmarkId = request.BenchmarkId,
            Status = BenchmarkRunStatus.Queued,
            CreatedAt = now,
            Worker = silo.Name,
            Request = request,
        };
        await state.WriteStateAsync();
        worker.Enqueue(this.GetPrimaryKeyString());
        return state.State.Info;
    }

    /// <inheritdoc />
    public Task<BenchmarkRunInfo?> GetAsync() =>
        // The run lives wherever the grain is activated now: after a silo loss that may be another trainer.
        Task.FromResult(state.State.Info is { } info ? info with { Worker = silo.Name } : null);

    /// <inheritdoc />
    public async Task<BenchmarkRunInfo> MarkRunningAsync(int totalItems, BenchmarkVersion version)
    {
        var info = Existing();
        if (info.Status is not (BenchmarkRunStatus.Queued or BenchmarkRunStatus.Running)) throw new InvalidResourceStateException($"Benchmark run '{info.Id}' is {info.Status} and cannot start.");
        return await MoveAsync(info.Status, BenchmarkRunStatus.Running, (i, now) => i with { StartedAt = now, ItemsTotal = totalItems, ItemsDone = 0, Evaluated = version, Attempts = i.Attempts + 1 });
    }

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
        worker.Cancel(this.GetPrimaryKeyString());
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
