using System.Globalization;
using System.Net;
using BeneficialRL.Contracts.Checkpoints;
using BeneficialRL.Contracts.Durability;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.Work;
using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Grains.Experiments;
using BeneficialRL.Grains.Checkpoints;
using BeneficialRL.Experiments.Jobs;
using BeneficialRL.Grains.Telemetry;
using BeneficialRL.Grains.Workers;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Durability.Reports;
using BeneficialRL.Durability.Running;
using BeneficialRL.Storage.Artifacts;
using BeneficialRL.Primitives.Layout;
using Microsoft.Extensions.Logging;

namespace BeneficialRL.Grains.Durability;

/// <summary>
/// Runs persistence runs on this trainer silo, one at a time, off every grain turn: loads the checkpoint under test
/// and its reference, runs the persistence library, stores every dose checkpoint as a checkpoint resource with
/// lineage, and writes the result and its report page (<see cref="TenantBlobLayout.PersistenceRunResult"/>).
/// </summary>
public sealed partial class PersistenceRunWorker(
    IGrainFactory grains,
    IArtifactStore artifacts,
    WorkMetrics metrics,
    ILogger<PersistenceRunWorker> logger) : WorkItemWorker("persistence-run", metrics, logger)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    /// <inheritdoc />
    protected override async Task RunAsync(string key, CancellationToken cancellationToken)
    {
        var run = grains.GetGrain<IPersistenceRunGrain>(key);
        if (await run.GetAsync() is not { Status: WorkStatus.Queued or WorkStatus.Running } info) return;
        var (tenant, runId) = ResourceKey.Parse(key);
        var subjects = new List<PersistenceSubject>();
        var attempts = info.Attempts;
        try
        {
            await RunAttemptAsync(key, () => attempts, async () =>
            {
                attempts = (await run.MarkRunningAsync()).Attempts;
                var spec = PersistenceJson.DeserializeSpec(info.Request.Spec);
                subjects.Add(new PersistenceSubject(info.Request.CheckpointId, await LoadAsync(tenant, info.Request.CheckpointId, cancellationToken)));
                if (info.Request.ReferenceCheckpointId is { } reference && reference != info.Request.CheckpointId)
                    subjects.Add(new PersistenceSubject(reference, await LoadAsync(tenant, reference, cancellationToken)));

                var sink = new BlobArtifactSink(artifacts, tenant);
                var parents = subjects.ToDictionary(s => s.Name, s => s.Name, StringComparer.Ordinal);
                var doses = new List<string>();
                var progress = new ThrottledProgress<PersistenceProgress>(p => run.ReportProgressAsync(p.Phase, p.Done, p.Total, $"{p.Subject}: {p.Message}"), ProgressInterval, p => p.Done >= p.Total);
                var result = await PersistenceRunner.RunAsync(spec, subjects, info.Request.ReferenceCheckpointId ?? info.Request.CheckpointId, async (dose, ct) =>
                {
                    // Subjects are checkpoint ids of up to 64 characters: name them by position to keep the dose id short.
                    var subject = $"s{subjects.FindIndex(s => s.Name == dose.Lineage.Subject).ToString(CultureInfo.InvariantCulture)}";
                    var folderKey = CheckpointIds.DoseFolder(runId, subject, dose.Lineage.Dose);
                    var checkpointId = CheckpointIds.Dose(runId, subject, dose.Lineage.Dose);
                    await CheckpointArtifacts.WriteArchiveAsync(sink, dose.Checkpoint, folderKey, ct);
                    var files = await CheckpointArtifacts.WriteWeightsAsync(sink, dose.Checkpoint, folderKey, ct);
                    await CheckpointPublisher.PublishAsync(grains, tenant, sink, null, new CheckpointPublication(checkpointId,
                        $"{dose.Lineage.Subject} after {dose.Lineage.Dose} harmful SFT steps ({dose.Lineage.Domain})", parents[dose.Lineage.Subject], "harmful-finetune", dose.Lineage.Dose,
                        dose.Lineage.ToLabels(), files));
                    parents[dose.Lineage.Subject] = checkpointId;
                    doses.Add(checkpointId);
                }, progress, cancellationToken);

                var resultName = TenantBlobLayout.PersistenceRunResult(runId);
                var reportName = TenantBlobLayout.PersistenceRunReport(runId);
                await sink.WriteJsonAsync(resultName, result, cancellationToken);
                var section = PersistenceReport.Render(result, embedImages: true);
                var page = $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Persistence run {WebUtility.HtmlEncode(runId)}</title>"
                    + "<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}img{max-width:100%}</style>"
                    + $"</head><body><h1>Persistence of {WebUtility.HtmlEncode(info.Request.CheckpointId)}</h1>{section.Html}</body></html>";
                await sink.WriteBytesAsync(reportName, System.Text.Encoding.UTF8.GetBytes(page), "text/html", cancellationToken);
                cancellationToken.ThrowIfCancellationRequested();
                await run.CompleteAsync(sink.PathOf(resultName), sink.PathOf(reportName), doses);
                LogCompleted(logger, key, doses.Count);
            }, run.FailAsync, cancellationToken);
        }
        finally
        {
            foreach (var subject in subjects) subject.Checkpoint.Dispose();
        }
    }

    private async Task<Checkpoint> LoadAsync(string tenant, string checkpointId, CancellationToken cancellationToken)
    {
        var checkpoint = await grains.GetGrain<ICheckpointGrain>(ResourceKey.For(tenant, checkpointId)).GetAsync()
            ?? throw new InvalidDataException($"Checkpoint '{checkpointId}' no longer exists.");
        if (checkpoint.Details.ModelMetadataPath is null)
            throw new InvalidDataException($"Checkpoint '{checkpointId}' has no model description (meta.json), so it cannot be tested. Import it with its meta.json.");
        await using var weights = await artifacts.OpenReadAsync(checkpoint.Details.WeightsPath, cancellationToken);
        await using var metadata = await artifacts.OpenReadAsync(checkpoint.Details.ModelMetadataPath, cancellationToken);
        return Checkpoint.FromParts(weights, metadata);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Persistence run {Key} completed: {Doses} dose checkpoints")]
    private static partial void LogCompleted(ILogger logger, string key, int doses);

}
