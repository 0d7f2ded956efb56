using BeneficialRL.Contracts.Checkpoints;
using BeneficialRL.Contracts.Experiments;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.ScenarioSets;
using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Jobs;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Grains.Checkpoints;
using BeneficialRL.Grains.Telemetry;
using BeneficialRL.Scenarios.Schema;
using BeneficialRL.Storage.Artifacts;

namespace BeneficialRL.Grains.Experiments;

/// <summary>
/// The trainer silo's side of <see cref="IExperimentJobHost"/>: artifacts in the tenant's blob folder, checkpoints
/// registered with checkpoint grains, resume points and alarms told to the job and experiment grains, scenario sets
/// read from their grains and blobs, stage times from the experiment grain.
/// </summary>
internal sealed class ExperimentJobHost(
    string tenant,
    string experimentId,
    ExperimentDefinition definition,
    ExperimentJobInfo job,
    IArtifactStore store,
    IGrainFactory grains,
    WorkMetrics metrics,
    TimeProvider time,
    IProgress<StageProgress> progress) : IExperimentJobHost
{
    private readonly BlobArtifactSink _sink = new(store, tenant);

    /// <inheritdoc />
    public string ExperimentId => experimentId;

    /// <inheritdoc />
    public ExperimentDefinition Definition => definition;

    /// <inheritdoc />
    public ExperimentJobSpec Job { get; } = new(job.Request.Name, job.Request.Stage, job.Request.Arm, job.Request.Seed);

    /// <inheritdoc />
    public JobCheckpoint? ResumePoint { get; } = job is { LastCheckpointStep: { } step, LastCheckpointId: { } id } ? new JobCheckpoint(step, id) : null;

    /// <inheritdoc />
    public IArtifactSink Artifacts => _sink;

    /// <inheritdoc />
    public IProgress<StageProgress> Progress => progress;

    /// <summary>The blob path of an artifact name the job returned.</summary>
    public string PathOf(string name) => _sink.PathOf(name);

    private IExperimentGrain Experiment => grains.GetGrain<IExperimentGrain>(ResourceKey.For(tenant, experimentId));

    /// <inheritdoc />
    public void TrainingStepCompleted(TrainingStepRecord record) => metrics.TrainingStep(record);

    /// <inheritdoc />
    public Task PublishCheckpointAsync(CheckpointPublication publication, CancellationToken cancellationToken) =>
        CheckpointPublisher.PublishAsync(grains, tenant, _sink, experimentId, publication);

    /// <inheritdoc />
    public Task RecordCheckpointAsync(JobCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return grains.GetGrain<IExperimentJobGrain>(ExperimentJobKeys.For(tenant, experimentId, job.Request.Name)).RecordCheckpointAsync(checkpoint.Step, checkpoint.CheckpointId);
    }

    /// <inheritdoc />
    public Task RaiseAlarmAsync(JobAlarm alarm, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        return Experiment.RaiseAlarmAsync(new ExperimentAlarm { Kind = alarm.Kind, Run = alarm.Run, Step = alarm.Step, Message = alarm.Message, At = time.GetUtcNow() });
    }

    /// <inheritdoc />
    public async Task<CheckpointParts> OpenCheckpointPartsAsync(string checkpointId, CancellationToken cancellationToken)
    {
        var info = await grains.GetGrain<ICheckpointGrain>(ResourceKey.For(tenant, checkpointId)).GetAsync()
            ?? throw new InvalidDataException($"Starting checkpoint '{checkpointId}' does not exist.");
        if (info.Details.ModelMetadataPath is null)
            throw new InvalidDataException($"Starting checkpoint '{checkpointId}' has no model description (meta.json), so it cannot be trained. Import it with its meta.json.");
        var weights = await store.OpenReadAsync(info.Details.WeightsPath, cancellationToken);
        try
        {
            return new CheckpointParts(weights, await store.OpenReadAsync(info.Details.ModelMetadataPath, cancellationToken));
        }
        catch
        {
            await weights.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Scenario>> LoadScenarioSetAsync(string scenarioSetId, CancellationToken cancellationToken)
    {
        var info = await grains.GetGrain<IScenarioSetGrain>(ResourceKey.For(tenant, scenarioSetId)).GetAsync()
            ?? throw new InvalidDataException($"Scenario set '{scenarioSetId}' does not exist.");
        var version = info.Versions.LastOrDefault() ?? throw new InvalidDataException($"Scenario set '{scenarioSetId}' has no version yet: upload its JSONL first.");
        await using var content = await store.OpenReadAsync(version.BlobPath, cancellationToken);
        using var reader = new StreamReader(content);
        return ScenarioJsonl.Read(reader);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, double>> StageSecondsAsync(CancellationToken cancellationToken)
    {
        var experiment = await Experiment.GetAsync();
        return (experiment?.Stages ?? []).Where(s => s.Seconds is not null).ToDictionary(s => s.Name, s => s.Seconds!.Value, StringComparer.Ordinal);
    }
}
