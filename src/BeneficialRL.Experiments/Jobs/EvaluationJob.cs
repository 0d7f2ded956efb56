using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Compute;
using BeneficialRL.Experiments.Evaluation;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Experiments.Jobs;

/// <summary>Stage 3: one run's final checkpoint on the full evaluation suite (held-out traits and OOD benchmarks).</summary>
public static class EvaluationJob
{
    /// <summary>Runs the job; returns the name of the evaluation it wrote.</summary>
    public static async Task<string> RunAsync(IExperimentJobHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var (definition, id, sink) = (host.Definition, host.ExperimentId, host.Artifacts);
        var (arm, seed) = (host.Job.RequireArm(), host.Job.RequireSeed());
        var step = (long)ComputeMatching.EffectiveBudget(definition, new TrainingRunRequest(id, definition, arm, seed).ArmSpec).Steps;
        var tar = await sink.ReadBytesAsync(TenantBlobLayout.CheckpointArchive(CheckpointIds.RunFolder(id, arm, seed, step)), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"Run {TenantBlobLayout.RunKey(arm, seed)} has no final checkpoint at step {step}.");
        using var checkpoint = await Checkpoint.LoadAsync(new MemoryStream(tar), cancellationToken).ConfigureAwait(false);
        var plan = EvaluationPlan.For(definition.Evaluation);
        var evaluation = await EvaluationStage.EvaluateAsync(checkpoint, arm, seed, step, plan.Suite, definition.Evaluation, null, host.Progress, cancellationToken).ConfigureAwait(false);
        var name = TenantBlobLayout.RunEvaluation(id, arm, seed, step);
        await sink.WriteJsonAsync(name, evaluation, cancellationToken).ConfigureAwait(false);
        return name;
    }
}
