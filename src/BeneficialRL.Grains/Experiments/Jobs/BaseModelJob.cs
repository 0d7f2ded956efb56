using BeneficialRL.Contracts.Checkpoints;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Evaluation;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Grains.Experiments.Jobs;

/// <summary>
/// Stage 1: the starting checkpoint — base SFT of a built-in preset (reused when a checkpoint with the
/// same spec hash exists in the tenant's storage) or an existing checkpoint resource — published as a
/// checkpoint resource, plus its held-out curve evaluation (step 0 of every run's curve).
/// </summary>
internal static class BaseModelJob
{
    public static async Task<string> RunAsync(ExperimentJobContext context, CancellationToken cancellationToken)
    {
        var definition = context.Definition;
        if (definition.StartingModel.CheckpointId is { Length: > 0 } startId) await MaterializeAsync(context, startId, cancellationToken);

        var result = await BaseModelStage.RunAsync(definition, context.Sink, context.Progress, cancellationToken);
        var recordName = TenantBlobLayout.ExperimentBase(context.ExperimentId);
        await context.Sink.WriteJsonAsync(recordName, result, cancellationToken);
        using var checkpoint = await BaseModelStage.LoadAsync(result, context.Sink, cancellationToken);
        if (definition.StartingModel.CheckpointId is null)
        {
            await CheckpointPublisher.PublishAsync(
                context, checkpoint, CheckpointIds.Base(result.SpecHash), CheckpointIds.Base(result.SpecHash),
                $"base {definition.StartingModel.Preset} ({result.SpecHash})", parentId: null, source: "sft", step: 0,
                new Dictionary<string, string> { ["specHash"] = result.SpecHash, ["preset"] = definition.StartingModel.Preset ?? "" }, cancellationToken);
        }

        var plan = EvaluationPlan.For(definition.Evaluation);
        if (plan.EvaluateCurves)
        {
            context.Progress.Report(new StageProgress(StageNames.BaseModel, "curve", 0, 1, "held-out curve point of the base checkpoint"));
            var evaluation = await EvaluationStage.EvaluateAsync(checkpoint, "base", 0, 0, plan.CurveSuite, definition.Evaluation, plan.CurveItems, null, cancellationToken);
            await context.Sink.WriteJsonAsync(TenantBlobLayout.ExperimentBaseCurve(context.ExperimentId), evaluation, cancellationToken);
        }

        return context.Sink.PathOf(recordName);
    }

    /// <summary>An imported checkpoint is weights + meta.json; the engine starts from a tar, written once beside them.</summary>
    private static async Task MaterializeAsync(ExperimentJobContext context, string checkpointId, CancellationToken cancellationToken)
    {
        var name = TenantBlobLayout.CheckpointArchive(checkpointId);
        if (await context.Sink.ExistsAsync(name, cancellationToken)) return;
        var info = await context.Grains.GetGrain<ICheckpointGrain>(ResourceKey.For(context.Tenant, checkpointId)).GetAsync()
            ?? throw new InvalidDataException($"Starting checkpoint '{checkpointId}' does not exist.");
        if (info.Details.ModelMetadataPath is null)
            throw new InvalidDataException($"Starting checkpoint '{checkpointId}' has no model description (meta.json), so it cannot be trained. Import it with its meta.json.");
        await using var weights = await context.Store.OpenReadAsync(info.Details.WeightsPath, cancellationToken);
        await using var metadata = await context.Store.OpenReadAsync(info.Details.ModelMetadataPath, cancellationToken);
        using var checkpoint = Checkpoint.FromParts(weights, metadata);
        using var tar = new MemoryStream();
        await checkpoint.SaveAsync(tar, cancellationToken);
        tar.Position = 0;
        await context.Sink.WriteAsync(name, tar, "application/x-tar", cancellationToken);
    }
}
