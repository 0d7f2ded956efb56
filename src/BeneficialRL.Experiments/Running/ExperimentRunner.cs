using System.Diagnostics;
using BeneficialRL.Experiments.Analysis;
using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Jobs;
using BeneficialRL.Experiments.Reports;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Experiments.Running;

/// <summary>
/// Runs an experiment in this process: the stages and jobs of <see cref="ExperimentPlan"/>, one job at a time, each
/// through the same job body the trainer silos run (<see cref="ExperimentJobs"/>) with an <see cref="InProcessJobHost"/>.
/// Tests and the perf harness use it, so what they exercise and measure is production's code path; what differs is
/// only the host (no grains, no blob storage, no retries).
/// </summary>
public static class ExperimentRunner
{
    /// <summary>Runs <paramref name="definition"/> end to end, writing every artifact to <paramref name="sink"/>.</summary>
    /// <param name="definition">A definition; validated first.</param>
    /// <param name="sink">Where artifacts go.</param>
    /// <param name="progress">Stage progress.</param>
    /// <param name="cancellationToken">Stops between steps and benchmark batches.</param>
    /// <param name="experimentId">Artifact id; defaults to the definition's name.</param>
    public static async Task<ExperimentOutcome> RunInProcessAsync(
        ExperimentDefinition definition,
        IArtifactSink sink,
        IProgress<StageProgress>? progress,
        CancellationToken cancellationToken,
        string? experimentId = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(sink);
        ExperimentValidator.ThrowIfInvalid(definition);
        var id = experimentId ?? definition.Name;
        await sink.WriteJsonAsync(TenantBlobLayout.ExperimentDefinition(id), definition, cancellationToken).ConfigureAwait(false);

        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        var completed = new List<CompletedJob>();
        var checkpoints = new List<CheckpointPublication>();
        var alarms = new List<JobAlarm>();
        foreach (var (stage, jobs) in ExperimentPlan.Stages(definition))
        {
            var stageClock = Stopwatch.StartNew();
            foreach (var job in jobs)
            {
                var host = new InProcessJobHost(id, definition, job, sink, progress, new Dictionary<string, double>(seconds));
                var jobClock = Stopwatch.StartNew();
                var result = await ExperimentJobs.RunAsync(host, cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                completed.Add(new CompletedJob(job, result, host.Recorded, jobClock.Elapsed.TotalSeconds));
                checkpoints.AddRange(host.Published);
                alarms.AddRange(host.Alarms);
            }

            seconds[stage] = stageClock.Elapsed.TotalSeconds;
        }

        var baseModel = await sink.ReadJsonAsync<BaseModelResult>(TenantBlobLayout.ExperimentBase(id), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"The base job of '{id}' left no record.");
        var analysis = await sink.ReadJsonAsync<ExperimentAnalysis>(TenantBlobLayout.ExperimentAnalysis(id), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"The report job of '{id}' left no analysis.");
        var report = await sink.ReadJsonAsync<ExperimentReport>(TenantBlobLayout.Report(id, ReportStage.JsonFile), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"The report job of '{id}' left no report.");
        return new ExperimentOutcome(id, baseModel, analysis, report, seconds, completed, checkpoints, alarms);
    }
}
