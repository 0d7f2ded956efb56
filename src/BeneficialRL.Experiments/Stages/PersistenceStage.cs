using BeneficialRL.Experiments.Specs;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Durability.FineTuning;
using BeneficialRL.Durability.Running;

namespace BeneficialRL.Experiments.Stages;

/// <summary>
/// Stage 4 (when the definition has a persistence section): adversarial prompting and harmful fine-tuning on the
/// pre-RL checkpoint and each arm's final checkpoint of the first seed, compared with the baseline arm.
/// </summary>
public static class PersistenceStage
{
    /// <summary>The subject name of the starting checkpoint.</summary>
    public const string PreRlSubject = "pre-rl";

    /// <summary>Runs the definition's persistence section.</summary>
    /// <param name="definition">A definition with <see cref="ExperimentDefinition.Persistence"/> set.</param>
    /// <param name="preRl">The starting (base) checkpoint.</param>
    /// <param name="finals">Each arm's final checkpoint of the first seed, by arm name.</param>
    /// <param name="onDoseCheckpoint">Receives every positive dose's checkpoint (to store it with lineage).</param>
    /// <param name="progress">Progress.</param>
    /// <param name="cancellationToken">Stops between batches and steps.</param>
    public static Task<PersistenceResult> RunAsync(
        ExperimentDefinition definition,
        Checkpoint preRl,
        IReadOnlyDictionary<string, Checkpoint> finals,
        Func<DoseCheckpoint, CancellationToken, Task>? onDoseCheckpoint,
        IProgress<StageProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(finals);
        var spec = definition.Persistence ?? throw new ArgumentException("The definition has no persistence section.", nameof(definition));
        var baseline = definition.Arms.Single(a => a.Role == ArmRole.Baseline).Name;
        List<PersistenceSubject> subjects = [new(PreRlSubject, preRl), .. definition.Arms.Select(a => new PersistenceSubject(a.Name, finals[a.Name]))];
        var forward = progress is null ? null : new SyncProgress<PersistenceProgress>(p =>
            progress.Report(new StageProgress(StageNames.Persistence, $"{p.Phase}/{p.Subject}", p.Done, p.Total, $"{p.Phase} {p.Subject}: {p.Message}")));
        return PersistenceRunner.RunAsync(spec, subjects, baseline, onDoseCheckpoint, forward, cancellationToken);
    }
}
