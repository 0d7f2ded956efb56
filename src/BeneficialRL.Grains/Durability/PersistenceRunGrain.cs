using BeneficialRL.Contracts.Catalog;
using BeneficialRL.Contracts.Durability;
using BeneficialRL.Contracts.Work;
using BeneficialRL.Grains.Catalog;
using BeneficialRL.Grains.Hosting;
using BeneficialRL.Grains.Placement;
using BeneficialRL.Grains.Workers;
using Microsoft.Extensions.Options;

namespace BeneficialRL.Grains.Durability;

/// <summary>A persistence run. Placed on trainer silos because the worker that runs it is the hosting silo's.</summary>
[TrainerPlacementFilter]
public sealed class PersistenceRunGrain(
    [PersistentState("run", GrainStorageNames.Default)] IPersistentState<PersistenceRunState> state,
    ILocalSiloDetails silo,
    PersistenceRunWorker worker,
    IOptions<RecoveryOptions> recovery,
    TimeProvider time) : WorkItemGrain<PersistenceRunInfo>(worker, silo, recovery, time), IPersistenceRunGrain
{
    /// <inheritdoc />
    protected override PersistenceRunInfo? Info { get => state.State.Info; set => state.State.Info = value; }

    /// <inheritdoc />
    protected override Task WriteAsync() => state.WriteStateAsync();

    /// <inheritdoc />
    protected override WorkStatus StatusOf(PersistenceRunInfo info) => info.Status;

    /// <inheritdoc />
    protected override PersistenceRunInfo Stamp(PersistenceRunInfo info, DateTimeOffset now) => info with { Worker = Silo.Name };

    /// <inheritdoc />
    protected override string Describe() => $"Persistence run '{this.TenantAndId().Id}'";

    /// <inheritdoc />
    protected override Task UpgradeStateAsync(CancellationToken cancellationToken) =>
        UpgradeRunStatusAsync(state.State.StatusScheme, scheme => state.State.StatusScheme = scheme, (info, status) => info with { Status = status });

    /// <inheritdoc />
    public Task<PersistenceRunInfo> CreateAsync(PersistenceRunRequest request)
    {
        state.State.StatusScheme = WorkStatuses.CurrentRunStatusScheme;
        return CreateIndexedAsync(ResourceKinds.PersistenceRuns, (tenant, id, now) =>
            new PersistenceRunInfo { Id = id, Tenant = tenant, Request = request, Status = WorkStatus.Queued, CreatedAt = now, Worker = Silo.Name });
    }

    /// <inheritdoc />
    public Task<PersistenceRunInfo?> GetAsync() => Task.FromResult(Current((info, worker) => info with { Worker = worker }));

    /// <inheritdoc />
    public Task<PersistenceRunInfo> MarkRunningAsync() =>
        Lifecycle.ChangeAsync([WorkStatus.Queued, WorkStatus.Running], "start",
            (info, now) => info with { Status = WorkStatus.Running, StartedAt = now, Attempts = info.Attempts + 1, Phase = null, Done = 0, Total = 0 });

    /// <inheritdoc />
    public async Task ReportProgressAsync(string phase, long done, long total, string message)
    {
        if (state.State.Info is not { Status: WorkStatus.Running }) return; // cancelled meanwhile: stale news
        await Lifecycle.ChangeAsync([WorkStatus.Running], "report progress", (info, _) => info with { Phase = phase, Done = done, Total = total, Message = message });
    }

    /// <inheritdoc />
    public Task<PersistenceRunInfo> CompleteAsync(string resultPath, string reportPath, IReadOnlyList<string> doseCheckpointIds) =>
        Lifecycle.ChangeAsync([WorkStatus.Running], "complete", (info, now) => info with
        {
            Status = WorkStatus.Completed,
            FinishedAt = now,
            ResultPath = resultPath,
            ReportPath = reportPath,
            DoseCheckpointIds = [.. doseCheckpointIds],
            Message = "completed",
        });

    /// <inheritdoc />
    public Task<PersistenceRunInfo> FailAsync(string error) =>
        Lifecycle.ChangeAsync([WorkStatus.Queued, WorkStatus.Running], "fail", (info, now) => info with { Status = WorkStatus.Failed, FinishedAt = now, Error = error });

    /// <inheritdoc />
    public async Task<PersistenceRunInfo> CancelAsync()
    {
        var info = Lifecycle.Existing();
        if (info.Status == WorkStatus.Cancelled) return info;
        Lifecycle.StopWork();
        return await Lifecycle.ChangeAsync([WorkStatus.Queued, WorkStatus.Running], "be cancelled", (i, now) => i with { Status = WorkStatus.Cancelled, FinishedAt = now });
    }
}

/// <summary>Persisted state of <see cref="PersistenceRunGrain"/>.</summary>
[GenerateSerializer]
public sealed class PersistenceRunState
{
    /// <summary>The run, once created.</summary>
    [Id(0)] public PersistenceRunInfo? Info { get; set; }

    /// <summary>0 for state stored before <see cref="WorkStatus"/> (its status values differ); <see cref="WorkStatuses.CurrentRunStatusScheme"/> since.</summary>
    [Id(1)] public int StatusScheme { get; set; }
}
