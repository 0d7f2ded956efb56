using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Jobs;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Primitives.Layout;
using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Experiments.Running;

/// <summary>
/// The in-process side of <see cref="IExperimentJobHost"/>: artifacts in one sink, checkpoint publications,
/// resume points and alarms kept in lists for the caller, stage times from the runner. No checkpoint catalogue
/// and no uploaded scenario sets exist here, so a definition that starts from a checkpoint resource must find
/// its tar in the sink, and one that reads a scenario set is refused.
/// </summary>
public sealed class InProcessJobHost(
    string experimentId,
    ExperimentDefinition definition,
    ExperimentJobSpec job,
    IArtifactSink artifacts,
    IProgress<StageProgress>? progress,
    IReadOnlyDictionary<string, double> stageSeconds,
    JobCheckpoint? resumePoint = null) : IExperimentJobHost
{
    private readonly List<CheckpointPublication> _published = [];
    private readonly List<JobCheckpoint> _recorded = [];
    private readonly List<JobAlarm> _alarms = [];

    /// <inheritdoc />
    public string ExperimentId { get; } = experimentId;

    /// <inheritdoc />
    public ExperimentDefinition Definition { get; } = definition;

    /// <inheritdoc />
    public ExperimentJobSpec Job { get; } = job;

    /// <inheritdoc />
    public JobCheckpoint? ResumePoint { get; } = resumePoint;

    /// <inheritdoc />
    public IArtifactSink Artifacts { get; } = artifacts;

    /// <inheritdoc />
    public IProgress<StageProgress> Progress { get; } = progress ?? new Progress<StageProgress>();

    /// <summary>Checkpoint resources the job published.</summary>
    public IReadOnlyList<CheckpointPublication> Published => _published;

    /// <summary>Resume points the job recorded.</summary>
    public IReadOnlyList<JobCheckpoint> Recorded => _recorded;

    /// <summary>Alarms the job raised.</summary>
    public IReadOnlyList<JobAlarm> Alarms => _alarms;

    /// <inheritdoc />
    /// <remarks>No meter in process: the step records reach the caller through the run's metrics artifact.</remarks>
    public void TrainingStepCompleted(TrainingStepRecord record)
    {
    }

    /// <inheritdoc />
    public Task PublishCheckpointAsync(CheckpointPublication publication, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publication);
        _published.Add(publication);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RecordCheckpointAsync(JobCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        _recorded.Add(checkpoint);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RaiseAlarmAsync(JobAlarm alarm, CancellationToken cancellationToken)
    {
        _alarms.Add(alarm);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<CheckpointParts> OpenCheckpointPartsAsync(string checkpointId, CancellationToken cancellationToken) =>
        throw new InvalidDataException(
            $"Starting checkpoint '{checkpointId}' is not in the artifact folder: an in-process run has no checkpoint catalogue, so put its tar at '{TenantBlobLayout.CheckpointArchive(checkpointId)}' first.");

    /// <inheritdoc />
    public Task<IReadOnlyList<Scenario>> LoadScenarioSetAsync(string scenarioSetId, CancellationToken cancellationToken) =>
        throw new InvalidDataException($"Scenario set '{scenarioSetId}' is an uploaded resource; an in-process run reads only built-in and inline slices.");

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, double>> StageSecondsAsync(CancellationToken cancellationToken) => Task.FromResult(stageSeconds);
}
