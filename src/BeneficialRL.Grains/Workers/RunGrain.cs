using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.Work;
using BeneficialRL.Grains.Catalog;
using BeneficialRL.Grains.Hosting;
using Microsoft.Extensions.Options;

namespace BeneficialRL.Grains.Workers;

/// <summary>
/// The grain of a run that is a tenant's resource of its own (a benchmark run, a persistence run): listed in the
/// tenant's index when created, read with the silo it lives on now, failed and cancelled alike, and its state
/// upgraded from before <see cref="WorkStatus"/>. Each kind keeps only its record and its own transitions.
/// </summary>
/// <typeparam name="TInfo">The run's record.</typeparam>
/// <typeparam name="TState">The grain's persisted state.</typeparam>
/// <param name="noun">How errors name the kind ("Benchmark run"), followed by the run's id.</param>
public abstract class RunGrain<TInfo, TState>(
    string noun,
    IPersistentState<TState> state,
    SerialWorkQueue worker,
    ILocalSiloDetails silo,
    IOptions<RecoveryOptions> recovery,
    TimeProvider time) : WorkItemGrain<TInfo>(worker, silo, recovery, time)
    where TInfo : class
    where TState : IRunState<TInfo>
{
    /// <inheritdoc />
    protected sealed override TInfo? Info { get => state.State.Info; set => state.State.Info = value; }

    /// <summary>Whether the run is running now; progress that arrives otherwise (cancelled meanwhile) is stale news.</summary>
    protected bool IsRunning => Info is { } info && StatusOf(info) == WorkStatus.Running;

    /// <inheritdoc />
    protected sealed override Task WriteAsync() => state.WriteStateAsync();

    /// <inheritdoc />
    protected sealed override TInfo Stamp(TInfo info, DateTimeOffset now) => With(info, new RunChange(Worker: Silo.Name));

    /// <inheritdoc />
    protected sealed override string Describe() => $"{noun} '{this.TenantAndId().Id}'";

    /// <summary>The record with <paramref name="change"/> applied.</summary>
    protected abstract TInfo With(TInfo info, RunChange change);

    /// <summary>
    /// For runs stored before <see cref="WorkStatus"/> (status scheme 0): their Completed, Failed and Cancelled had
    /// other values; converts the status once and records the current scheme.
    /// </summary>
    protected sealed override async Task UpgradeStateAsync(CancellationToken cancellationToken)
    {
        if (Info is not { } stored || state.State.StatusScheme != 0) return;
        Info = With(stored, new RunChange(Status: WorkStatuses.FromRunStatusBefore2026December(StatusOf(stored))));
        state.State.StatusScheme = WorkStatuses.CurrentRunStatusScheme;
        await WriteAsync();
    }

    /// <summary>
    /// Creates the run: refused if it exists, listed in the tenant's index of <paramref name="resourceKind"/>, then
    /// stored (under the current status scheme) and queued.
    /// </summary>
    protected async Task<TInfo> CreateIndexedAsync(string resourceKind, Func<string, string, DateTimeOffset, TInfo> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        if (Info is not null) throw new ResourceAlreadyExistsException($"{Describe()} already exists.");
        var (tenant, id) = this.TenantAndId();
        var now = Time.GetUtcNow();
        await GrainFactory.IndexAsync(tenant, resourceKind, id, now);
        state.State.StatusScheme = WorkStatuses.CurrentRunStatusScheme;
        return await Lifecycle.CreateAsync(build(tenant, id, now));
    }

    /// <summary>Gets the run, or null if it was never created.</summary>
    public Task<TInfo?> GetAsync() => Task.FromResult(Current((info, worker) => With(info, new RunChange(Worker: worker))));

    /// <summary>Marks a queued or running run failed with <paramref name="error"/>.</summary>
    public Task<TInfo> FailAsync(string error) =>
        Lifecycle.ChangeAsync([WorkStatus.Queued, WorkStatus.Running], "fail", (info, now) => With(info, new RunChange(WorkStatus.Failed, FinishedAt: now, Error: error)));

    /// <summary>Cancels a queued or running run; a cancelled one is returned as it is.</summary>
    public async Task<TInfo> CancelAsync()
    {
        var info = Lifecycle.Existing();
        if (StatusOf(info) == WorkStatus.Cancelled) return info;
        Lifecycle.StopWork();
        return await Lifecycle.ChangeAsync([WorkStatus.Queued, WorkStatus.Running], "be cancelled", (i, now) => With(i, new RunChange(WorkStatus.Cancelled, FinishedAt: now)));
    }

    /// <summary>What a transition the kinds share changes in a run's record; null leaves a field as it is.</summary>
    /// <param name="Status">The new status.</param>
    /// <param name="Worker">The silo the run lives on.</param>
    /// <param name="FinishedAt">When it reached a terminal status.</param>
    /// <param name="Error">Why it failed.</param>
    protected readonly record struct RunChange(WorkStatus? Status = null, string? Worker = null, DateTimeOffset? FinishedAt = null, string? Error = null);
}
