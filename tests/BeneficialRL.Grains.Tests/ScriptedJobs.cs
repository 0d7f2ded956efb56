using System.Collections.Concurrent;
using BeneficialRL.Experiments.Jobs;
using BeneficialRL.Experiments.Reports;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Grains.Tests;

/// <summary>
/// Job news without the tensor work, registered as the trainer silo's <see cref="Experiments.ExperimentJobBody"/>: each
/// job reports progress through its host, a training run records a checkpoint, and the job returns the artifact name
/// production's job body would. Everything around it is production's: the experiment grain's plan and stage path, the
/// job grains, the worker and its outcome rules. A test scripts one experiment: hold a stage's jobs at a gate, or fail a job.
/// </summary>
public static class ScriptedJobs
{
    private static readonly ConcurrentDictionary<string, Script> Scripts = new(StringComparer.Ordinal);

    /// <summary>The script of experiment <paramref name="experimentId"/> (created on first use).</summary>
    public static Script For(string experimentId) => Scripts.GetOrAdd(experimentId, _ => new Script());

    /// <summary>The job body.</summary>
    public static async Task<string> RunAsync(IExperimentJobHost host, CancellationToken cancellationToken)
    {
        var script = For(host.ExperimentId);
        var job = host.Job;
        script.Started.Enqueue(job.Name);
        try
        {
            host.Progress.Report(new StageProgress(job.Stage, job.Name, 0, 2, $"{job.Name} started"));
            if (script.FailJob == job.Name) throw new InvalidDataException($"scripted failure of {job.Name}");
            if (script.HoldStage == job.Stage) await script.Gate.Task.WaitAsync(cancellationToken);
            if (job.Stage == StageNames.Training)
                await host.RecordCheckpointAsync(new JobCheckpoint(2, CheckpointIds.Run(host.ExperimentId, job.RequireArm(), job.RequireSeed(), 2)), cancellationToken);
            host.Progress.Report(new StageProgress(job.Stage, job.Name, 2, 2, $"{job.Name} done"));
            return job.Stage switch
            {
                StageNames.BaseModel => TenantBlobLayout.ExperimentBase(host.ExperimentId),
                StageNames.Training => TenantBlobLayout.RunMetrics(host.ExperimentId, job.RequireArm(), job.RequireSeed()),
                StageNames.Evaluation => TenantBlobLayout.RunEvaluation(host.ExperimentId, job.RequireArm(), job.RequireSeed(), 4),
                StageNames.Persistence => TenantBlobLayout.ExperimentPersistence(host.ExperimentId),
                _ => TenantBlobLayout.Report(host.ExperimentId, ReportStage.JsonFile),
            };
        }
        finally
        {
            script.Ended.Enqueue(job.Name);
        }
    }

    /// <summary>What the jobs of one experiment do.</summary>
    public sealed class Script
    {
        /// <summary>Jobs of this stage wait for <see cref="Gate"/> (or their cancellation).</summary>
        public string? HoldStage { get; set; }

        /// <summary>Opens the held stage.</summary>
        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>This job throws.</summary>
        public string? FailJob { get; set; }

        /// <summary>Attempts started, by job name, in order.</summary>
        public ConcurrentQueue<string> Started { get; } = new();

        /// <summary>Attempts ended (completed, failed or cancelled), by job name, in order.</summary>
        public ConcurrentQueue<string> Ended { get; } = new();
    }
}
