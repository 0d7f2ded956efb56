using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Compute;
using BeneficialRL.Experiments.Evaluation;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Grains.Experiments.Jobs;

/// <summary>Stage 3: one run's final checkpoint on the full evaluation suite (held-out traits and OOD benchmarks).</summary>
internal static class EvaluationJob
{
    public static async Task<string> RunAsync(ExperimentJobContext context, CancellationToken cancellationToken)
    {
        var (definition, id, sink) = (context.Definition, context.ExperimentId, context.Sink);
        var arm = context.Job.Request.Arm ?? throw new InvalidDataException($"Job '{context.Job.Request.Name}' names no arm.");
        var seed = context.Job.Request.Seed ?? throw new InvalidDataException($"Job '{context.Job.Request.Name}' names no seed.");
        var step = (long)ComputeMatching.EffectiveBudget(definition, new TrainingRunRequest(id, definition, arm, seed).ArmSpec).Steps;
        var tar = await sink.ReadBytesAsync(TenantBlobLayout.CheckpointArchive(CheckpointIds.RunFolder(id, arm, seed, step)), cancellationToken)
            ?? throw new InvalidDataException($"Run {TenantBlobLayout.RunKey(arm, seed)} has no final checkpoint at step {step}.");
        using var checkpoint = await Checkpoint.LoadAsync(new MemoryStream(tar), cancellationToken);
        var plan = EvaluationPlan.For(definition.Evaluation);
        var evaluation = await EvaluationStage.EvaluateAsync(checkpoint, arm, seed, step, plan.Suite, definition.Evaluation, null, context.Progress, cancellationToken);
        var name = TenantBlobLayout.RunEvaluation(id, arm, seed, step);
        await sink.WriteJsonAsync(name, evaluation, cancellationToken);
        return sink.PathOf(name);
    }
}
