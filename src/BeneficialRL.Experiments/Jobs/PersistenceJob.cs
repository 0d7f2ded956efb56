using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Compute;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Experiments.Jobs;

/// <summary>
/// The persistence stage: adversarial prompting and harmful fine-tuning on the pre-RL checkpoint and every arm's
/// final checkpoint of the first seed. Each dose checkpoint becomes a checkpoint resource whose parent is the
/// previous rung (the subject's own checkpoint for the first).
/// </summary>
public static class PersistenceJob
{
    /// <summary>Runs the job; returns the name of the persistence result it wrote.</summary>
    public static async Task<string> RunAsync(IExperimentJobHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var (definition, id, sink) = (host.Definition, host.ExperimentId, host.Artifacts);
        var baseResult = await sink.ReadJsonAsync<BaseModelResult>(TenantBlobLayout.ExperimentBase(id), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"The base stage of experiment '{id}' left no record.");
        using var preRl = await BaseModelStage.LoadAsync(baseResult, sink, cancellationToken).ConfigureAwait(false);
        var seed = definition.Seeds[0];
        var finals = new Dictionary<string, Checkpoint>(StringComparer.Ordinal);
        var baseId = definition.StartingModel.CheckpointId ?? CheckpointIds.Base(baseResult.SpecHash);
        var parents = new Dictionary<string, string>(StringComparer.Ordinal) { [PersistenceStage.PreRlSubject] = baseId };
        var worldCorpus = PersistenceStage.UsesWorldCorpus(definition);
        foreach (var replicate in worldCorpus ? definition.Seeds : [])
        {
            parents[PersistenceStage.ReplicateSubject(replicate)] = baseId;
        }

        try
        {
            // The world control fine-tunes the pre-RL checkpoint only, so the arms' finals are not loaded.
            foreach (var arm in worldCorpus ? [] : definition.Arms)
            {
                var step = ComputeMatching.EffectiveBudget(definition, arm).Steps;
                var tar = await sink.ReadBytesAsync(TenantBlobLayout.CheckpointArchive(CheckpointIds.RunFolder(id, arm.Name, seed, step)), cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidDataException($"Run {TenantBlobLayout.RunKey(arm.Name, seed)} has no final checkpoint at step {step}.");
                finals[arm.Name] = await Checkpoint.LoadAsync(new MemoryStream(tar), cancellationToken).ConfigureAwait(false);
                parents[arm.Name] = CheckpointIds.Run(id, arm.Name, seed, step);
            }

            var result = await PersistenceStage.RunAsync(definition, preRl, finals, async (dose, ct) =>
            {
                var folderKey = CheckpointIds.DoseFolder(id, dose.Lineage.Subject, dose.Lineage.Dose);
                await CheckpointArtifacts.WriteArchiveAsync(sink, dose.Checkpoint, folderKey, ct).ConfigureAwait(false);
                var checkpointId = CheckpointIds.Dose(id, dose.Lineage.Subject, dose.Lineage.Dose);
                var files = await CheckpointArtifacts.WriteWeightsAsync(sink, dose.Checkpoint, folderKey, ct).ConfigureAwait(false);
                await host.PublishCheckpointAsync(new CheckpointPublication(checkpointId,
                    $"{dose.Lineage.Subject} after {dose.Lineage.Dose} harmful SFT steps ({dose.Lineage.Domain})", parents[dose.Lineage.Subject], "harmful-finetune", dose.Lineage.Dose,
                    dose.Lineage.ToLabels(), files), ct).ConfigureAwait(false);
                parents[dose.Lineage.Subject] = checkpointId;
            }, host.Progress, cancellationToken).ConfigureAwait(false);
            await sink.WriteJsonAsync(TenantBlobLayout.ExperimentPersistence(id), result, cancellationToken).ConfigureAwait(false);
            return TenantBlobLayout.ExperimentPersistence(id);
        }
        finally
        {
            foreach (var checkpoint in finals.Values) checkpoint.Dispose();
        }
    }
}
