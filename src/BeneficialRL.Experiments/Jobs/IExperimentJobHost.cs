using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Experiments.Jobs;

/// <summary>
/// What a job needs from whoever runs it, and nothing else: the job's identity and resume point, the experiment's
/// artifacts, and where to announce progress, checkpoints and alarms. Implemented once by the trainer silos (job
/// grains, blob storage, checkpoint grains) and once in this process (<see cref="Running.InProcessJobHost"/>), so
/// the job bodies in this folder are the only copy of the experiment's work.
/// </summary>
public interface IExperimentJobHost
{
    /// <summary>The experiment's id (the artifact folder's name).</summary>
    string ExperimentId { get; }

    /// <summary>The validated definition.</summary>
    ExperimentDefinition Definition { get; }

    /// <summary>The job this attempt runs.</summary>
    ExperimentJobSpec Job { get; }

    /// <summary>The last checkpoint an earlier attempt of this job recorded (<see cref="RecordCheckpointAsync"/>), or null on a first attempt.</summary>
    JobCheckpoint? ResumePoint { get; }

    /// <summary>The experiment's artifacts, named by <c>TenantBlobLayout</c>.</summary>
    IArtifactSink Artifacts { get; }

    /// <summary>Stage progress (hosts may throttle it).</summary>
    IProgress<StageProgress> Progress { get; }

    /// <summary>A GRPO step finished (for the host's meters).</summary>
    void TrainingStepCompleted(TrainingStepRecord record);

    /// <summary>Makes stored checkpoint files a checkpoint resource (with lineage) that other runs can load; idempotent.</summary>
    Task PublishCheckpointAsync(CheckpointPublication publication, CancellationToken cancellationToken);

    /// <summary>Records that everything <paramref name="checkpoint"/> implies is stored, so a later attempt resumes from it.</summary>
    Task RecordCheckpointAsync(JobCheckpoint checkpoint, CancellationToken cancellationToken);

    /// <summary>Raises an alarm on the experiment (shown with it; the run goes on).</summary>
    Task RaiseAlarmAsync(JobAlarm alarm, CancellationToken cancellationToken);

    /// <summary>The weights and model description of an existing checkpoint resource (a starting checkpoint); a clear error when it has none.</summary>
    Task<CheckpointParts> OpenCheckpointPartsAsync(string checkpointId, CancellationToken cancellationToken);

    /// <summary>The newest version of uploaded scenario set <paramref name="scenarioSetId"/>; a clear error when it has none.</summary>
    Task<IReadOnlyList<Scenario>> LoadScenarioSetAsync(string scenarioSetId, CancellationToken cancellationToken);

    /// <summary>Wall seconds of the experiment's finished stages, for the report.</summary>
    Task<IReadOnlyDictionary<string, double>> StageSecondsAsync(CancellationToken cancellationToken);
}

/// <summary>A checkpoint a job recorded: the step it was saved at and its checkpoint resource id.</summary>
public sealed record JobCheckpoint(long Step, string CheckpointId);

/// <summary>An alarm a job raises, e.g. <c>reward-hacking</c> on run <c>treatment-s1</c>.</summary>
public sealed record JobAlarm(string Kind, string Run, long Step, string Message);

/// <summary>A checkpoint resource's parts, opened for reading; disposing closes both.</summary>
public sealed class CheckpointParts(Stream weights, Stream metadata) : IAsyncDisposable
{
    /// <summary>safetensors weights.</summary>
    public Stream Weights { get; } = weights;

    /// <summary>The model description (meta.json).</summary>
    public Stream Metadata { get; } = metadata;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Weights.DisposeAsync().ConfigureAwait(false);
        await Metadata.DisposeAsync().ConfigureAwait(false);
    }
}
