using BeneficialRL.Contracts.Experiments;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.Work;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Grains.Telemetry;
using BeneficialRL.Grains.Workers;
using BeneficialRL.Storage.Artifacts;
using Microsoft.Extensions.Logging;

namespace BeneficialRL.Grains.Experiments;

/// <summary>
/// Runs experiment jobs on this trainer silo, one at a time and off every grain turn. Job grains hand
/// their key to it; it reports progress, checkpoints and the outcome back to them.
/// </summary>
public sealed partial class ExperimentJobWorker(
    IGrainFactory grains,
    IArtifactStore artifacts,
    WorkMetrics metrics,
    TimeProvider time,
    ExperimentJobBody body,
    ILogger<ExperimentJobWorker> logger) : WorkItemWorker("job", metrics, logger)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    /// <inheritdoc />
    protected override async Task RunAsync(string key, CancellationToken cancellationToken)
    {
        var job = grains.GetGrain<IExperimentJobGrain>(key);
        var info = await job.GetAsync();
        if (info is not { Status: WorkStatus.Queued or WorkStatus.Running }) return;
        var (tenant, experimentId, name) = ExperimentJobKeys.Parse(key);
        await RunAttemptAsync(key, () => info.Attempts, async () =>
        {
            var experiment = await grains.GetGrain<IExperimentGrain>(ResourceKey.For(tenant, experimentId)).GetAsync();
            if (experiment?.Spec.Definition is not { } json) throw new InvalidDataException($"Experiment '{experimentId}' has no definition to run.");
            var definition = ExperimentJson.Deserialize(json);
            info = await job.MarkRunningAsync();
            LogStarted(logger, key, info.Attempts);
            var host = new ExperimentJobHost(tenant, experimentId, definition, info, artifacts, grains, Metrics, time,
                new ThrottledProgress<StageProgress>(p => job.ReportProgressAsync(p.Done, p.Total, p.Message), ProgressInterval, p => p.Done >= p.Total));
            var result = host.PathOf(await body(host, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
            await job.CompleteAsync(result);
            LogCompleted(logger, key, result);
        }, error => job.FailAsync($"{name}: {error}"), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment job {Key} started (attempt {Attempt})")]
    private static partial void LogStarted(ILogger logger, string key, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment job {Key} completed: {Result}")]
    private static partial void LogCompleted(ILogger logger, string key, string result);
}
