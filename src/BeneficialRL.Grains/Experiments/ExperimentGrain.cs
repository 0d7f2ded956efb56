using BeneficialRL.Contracts.Catalog;
using BeneficialRL.Contracts.Experiments;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Grains.Catalog;

namespace BeneficialRL.Grains.Experiments;

/// <summary>An experiment's spec, lifecycle and event log.</summary>
public sealed class ExperimentGrain(
    [PersistentState("experiment", GrainStorageNames.Default)] IPersistentState<ExperimentState> state,
    TimeProvider time) : Grain, IExperimentGrain
{
    /// <summary>How many events are kept for late subscribers; older ones are dropped first.</summary>
    internal const int EventLogCapacity = 1000;

    /// <inheritdoc />
    public async Task<ExperimentInfo> CreateAsync(ExperimentSpec spec)
    {
        if (state.State.Info is not null) throw new ResourceAlreadyExistsException($"Experiment '{state.State.Info.Id}' already exists.");
        var (tenant, id) = this.TenantAndId();
        var now = time.GetUtcNow();
        await GrainFactory.IndexAsync(tenant, ResourceKinds.Experiments, id, now);
        state.State.Info = new ExperimentInfo { Id = id, Tenant = tenant, Spec = spec, Status = ExperimentStatus.Created, CreatedAt = now, Revision = 1 };
        AppendStatusEvent(now, "Experiment created.");
        await state.WriteStateAsync();
        return state.State.Info;
    }

    /// <inheritdoc />
    public Task<ExperimentInfo?> GetAsync() => Task.FromResult(state.State.Info);

    /// <inheritdoc />
    public Task<ExperimentInfo> SubmitAsync() =>
        MoveAsync(ExperimentStatus.Queued, (info, now) => info with { QueuedAt = now }, "Queued for a trainer silo.");

    /// <inheritdoc />
    public Task<ExperimentInfo> MarkRunningAsync(string worker) =>
        MoveAsync(ExperimentStatus.Running, (info, now) => info with { StartedAt = now, Worker = worker }, $"Running on {worker}.");

    /// <inheritdoc />
    public async Task ReportProgressAsync(string stage, double fraction, string? message)
    {
        var info = Existing();
        if (info.Status != ExperimentStatus.Running) throw new InvalidResourceStateException($"Experiment '{info.Id}' is {info.Status}, not running: progress cannot be reported.");
        if (double.IsNaN(fraction) || fraction < 0 || fraction > 1) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "Progress is a fraction in [0, 1].");

        var now = time.GetUtcNow();
        state.State.Info = info with { Progress = new ExperimentProgress(stage, fraction, message, now), Revision = info.Revision + 1 };
        Append(new ExperimentEvent { Sequence = 0, At = now, Kind = "progress", Status = info.Status, Stage = stage, Fraction = fraction, Message = message });
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<ExperimentInfo> CompleteAsync() =>
        MoveAsync(ExperimentStatus.Completed, (info, now) => info with { FinishedAt = now }, "Experiment completed.");

    /// <inheritdoc />
    public Task<ExperimentInfo> FailAsync(string error) =>
        MoveAsync(ExperimentStatus.Failed, (info, now) => info with { FinishedAt = now, Error = error }, error);

    /// <inheritdoc />
    public async Task<ExperimentInfo> CancelAsync(string? reason, long? expectedRevision)
    {
        var info = Existing();
        if (expectedRevision is { } expected && expected != info.Revision) throw new RevisionMismatchException(expected, info.Revision);
        if (info.Status == ExperimentStatus.Cancelled) return info;
        var message = string.IsNullOrWhiteSpace(reason) ? "Cancelled by the user." : $"Cancelled: {reason}";
        return await MoveAsync(ExperimentStatus.Cancelled, (i, now) => i with { FinishedAt = now, Error = message }, message);
    }

    /// <inheritdoc />
    public async Task<ExperimentInfo> UpdateAsync(string? name, string? description, long? expectedRevision)
    {
        var info = Existing();
        if (expectedRevision is { } expected && expected != info.Revision) throw new RevisionMismatchException(expected, info.Revision);
        state.State.Info = info with
        {
            Spec = info.Spec with { Name = name ?? info.Spec.Name, Description = description ?? info.Spec.Description },
            Revision = info.Revision + 1,
        };
        await state.WriteStateAsync();
        return state.State.Info;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ExperimentEvent>> GetEventsAsync(long afterSequence) =>
        Task.FromResult<IReadOnlyList<ExperimentEvent>>(state.State.Events.Where(e => e.Sequence > afterSequence).ToList());

    private async Task<ExperimentInfo> MoveAsync(ExperimentStatus to, Func<ExperimentInfo, DateTimeOffset, ExperimentInfo> apply, string message)
    {
        var info = Existing();
        if (!ExperimentLifecycle.CanMove(info.Status, to))
        {
            throw new InvalidResourceStateException($"Experiment '{info.Id}' is {info.Status} and cannot become {to}.");
        }

        var now = time.GetUtcNow();
        state.State.Info = apply(info, now) with { Status = to, Revision = info.Revision + 1 };
        AppendStatusEvent(now, message);
        await state.WriteStateAsync();
        return state.State.Info;
    }

    private void AppendStatusEvent(DateTimeOffset at, string message) =>
        Append(new ExperimentEvent { Sequence = 0, At = at, Kind = "status", Status = state.State.Info!.Status, Message = message });

    private void Append(ExperimentEvent e)
    {
        state.State.LastSequence++;
        state.State.Events.Add(e with { Sequence = state.State.LastSequence });
        if (state.State.Events.Count > EventLogCapacity) state.State.Events.RemoveRange(0, state.State.Events.Count - EventLogCapacity);
    }

    private ExperimentInfo Existing() => state.State.Info ?? throw new ResourceNotFoundException($"Experiment '{this.TenantAndId().Id}' does not exist.");
}

/// <summary>Persisted state of <see cref="ExperimentGrain"/>.</summary>
[GenerateSerializer]
public sealed class ExperimentState
{
    /// <summary>The experiment, once created.</summary>
    [Id(0)] public ExperimentInfo? Info { get; set; }
    /// <summary>The most recent events, oldest first.</summary>
    [Id(1)] public List<ExperimentEvent> Events { get; set; } = [];
    /// <summary>Sequence number of the last event appended.</summary>
    [Id(2)] public long LastSequence { get; set; }
}
