using BeneficialRL.Contracts.Catalog;
using BeneficialRL.Contracts.Durability;
using BeneficialRL.Contracts.Work;
using BeneficialRL.Grains.Hosting;
using BeneficialRL.Grains.Placement;
using BeneficialRL.Grains.Workers;
using Microsoft.Extensions.Options;

namespace BeneficialRL.Grains.Durability;

/// <summary>A persistence run. Placed on trainer silos because the worker that runs it is the hosting silo's.</summary>
[TrainerPlacementFilter]
[LeastBusyTrainerPlacement]
public sealed class PersistenceRunGrain(
    [PersistentState("run", GrainStorageNames.Default)] IPersistentState<PersistenceRunState> state,
    ILocalSiloDetails silo,
    PersistenceRunWorker worker,
    IOptions<RecoveryOptions> recovery,
    TimeProvider time) : RunGrain<PersistenceRunInfo, PersistenceRunState>("Persistence run", state, worker, silo, recovery, time), IPersistenceRunGrain
{
    /// <inheritdoc />
    protected override WorkStatus StatusOf(PersistenceRunInfo info) => info.Status;

    /// <inheritdoc />
    protected override PersistenceRunInfo With(PersistenceRunInfo info, RunChange change) =>
        info with { Status = change.Status ?? info.Status, Worker = change.Worker ?? info.Worker, FinishedAt = change.FinishedAt ?? info.FinishedAt, Error = change.Error ?? info.Error };

    /// <inheritdoc />
    public Task<PersistenceRunInfo> CreateAsync(PersistenceRunRequest request) =>
        CreateIndexedAsync(ResourceKinds.PersistenceRuns, (tenant, id, now) =>
            new PersistenceRunInfo { Id = id, Tenant = tenant, Request = request, Status = WorkStatus.Queued, CreatedAt = now, Worker = Silo.Name });

    /// <inheritdoc />
    public Task<PersistenceRunInfo> MarkRunningAsync() =>
        Lifecycle.ChangeAsync([WorkStatus.Queued, WorkStatus.Running], "start",
            (info, now) => info with { Status = WorkStatus.Running, StartedAt = now, Attempts = info.Attempts + 1, Phase = null, Done = 0, Total = 0 });

    /// <inheritdoc />
    public async Task ReportProgressAsync(string phase, long done, long total, string message)
    {
        if (!IsRunning) return;
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
}

/// <summary>Persisted state of <see cref="PersistenceRunGrain"/>.</summary>
[GenerateSerializer]
public sealed class PersistenceRunState : IRunState<PersistenceRunInfo>
{
    /// <inheritdoc />
    [Id(0)] public PersistenceRunInfo? Info { get; set; }

    /// <inheritdoc />
    [Id(1)] public int StatusScheme { get; set; }
}
