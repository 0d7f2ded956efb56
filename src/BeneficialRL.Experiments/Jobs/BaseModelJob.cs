using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Evaluation;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Experiments.Jobs;

/// <summary>
/// Stage 1: the starting checkpoint — base SFT of a built-in preset (reused when a checkpoint with the
/// same spec hash exists in the tenant's storage) or an existing checkpoint resource — published as a
/// checkpoint resource, plus its held-out curve evaluation (step 0 of every run's curve).
/// </summary>
public static class BaseModelJob
{
    /// <summary>Runs the job; returns the name of the base record it wrote.</summary>
    public static async Task<string> RunAsync(IExperimentJobHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var (definition, sink) = (host.Definition, host.Artifacts);
        if (definition.StartingModel.CheckpointId is { Length: > 0 } startId) await MaterializeAsync(host, startId, cancellationToken).ConfigureAwait(false);

        var result = await BaseModelStage.RunAsync(definition, sink, host.Progress, cancellationToken).ConfigureAwait(false);
        var recordName = TenantBlobLayout.ExperimentBase(host.ExperimentId);
        await sink.WriteJsonAsync(recordName, result, cancellationToken).ConfigureAwait(false);
        using var checkpoint = await BaseModelStage.LoadAsync(result, sink, cancellationToken).ConfigureAwait(false);
        if (definition.StartingModel.CheckpointId is null)
        {
            var id = CheckpointIds.Base(result.SpecHash);
            var files = await CheckpointArtifacts.WriteWeightsAsync(sink, checkpoint, id, cancellationToken).ConfigureAwait(false);
            await host.PublishCheckpointAsync(new CheckpointPublication(
                id, $"base {definition.StartingModel.Preset} ({result.SpecHash})", ParentId: null, Source: "sft", Step: 0,
                new Dictionary<string, string> { ["specHash"] = result.SpecHash, ["preset"] = definition.StartingModel.Preset ?? "" }, files), cancellationToken).ConfigureAwait(false);
        }

        var plan = EvaluationPlan.For(definition.Evaluation);
        if (plan.EvaluateCurves)
        {
            host.Progress.Report(new StageProgress(StageNames.BaseModel, "curve", 0, 1, "held-out curve point of the base checkpoint"));
            var evaluation = await EvaluationStage.EvaluateAsync(checkpoint, "base", 0, 0, plan.CurveSuite, definition.Evaluation, plan.CurveItems, null, cancellationToken).ConfigureAwait(false);
            await sink.WriteJsonAsync(TenantBlobLayout.ExperimentBaseCurve(host.ExperimentId), evaluation, cancellationToken).ConfigureAwait(false);
        }

        return recordName;
    }

    /// <summary>An imported checkpoint is weights + meta.json; the engine starts from a tar, written once beside them.</summary>
    private static async Task MaterializeAsync(IExperimentJobHost host, string checkpointId, CancellationToken cancellationToken)
    {
        if (await host.Artifacts.ExistsAsync(TenantBlobLayout.CheckpointArchive(checkpointId), cancellationToken).ConfigureAwait(false)) return;
        await using var parts = await host.OpenCheckpointPartsAsync(checkpointId, cancellationToken).ConfigureAwait(false);
        using var checkpoint = Checkpoint.FromParts(parts.Weights, parts.Metadata);
        await CheckpointArtifacts.WriteArchiveAsync(host.Artifacts, checkpoint, checkpointId, cancellationToken).ConfigureAwait(false);
    }
}
