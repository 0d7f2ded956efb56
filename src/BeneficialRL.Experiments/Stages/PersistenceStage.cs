using System.Globalization;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Durability.FineTuning;
using BeneficialRL.Durability.Running;

namespace BeneficialRL.Experiments.Stages;

/// <summary>
/// Stage 4 (when the definition has a persistence section): adversarial prompting and harmful fine-tuning on the
/// pre-RL checkpoint and each arm's final checkpoint of the first seed, compared with the baseline arm. With a world
/// corpus (the emergent-misalignment control, <c>docs/science.md</c> §5) it fine-tunes the pre-RL checkpoint alone,
/// once per experiment seed, on the world's misaligned documents of the domain.
/// </summary>
public static class PersistenceStage
{
    /// <summary>The subject name of the starting checkpoint.</summary>
    public const string PreRlSubject = "pre-rl";

    /// <summary>Whether the definition asks for the emergent-misalignment control: fine-tuning on its world's own misaligned documents.</summary>
    public static bool UsesWorldCorpus(ExperimentDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition.Persistence?.FineTuning is { Enabled: true, Corpus: HarmfulCorpusSource.World };
    }

    /// <summary>The subject name of the pre-RL checkpoint's fine-tune under experiment seed <paramref name="seed"/> (world corpus only).</summary>
    public static string ReplicateSubject(long seed) => $"{PreRlSubject}-seed-{seed.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The harmful corpus of the world control: the definition's world (its ρ and persona share) generated with the
    /// fine-tuning corpus seed, the misaligned exchanges of the fine-tuning domain, prompts cut as in the base corpus.
    /// </summary>
    public static HarmfulCorpus WorldCorpus(ExperimentDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var f = definition.Persistence?.FineTuning ?? throw new ArgumentException("The definition has no persistence section.", nameof(definition));
        if (!definition.World.TrainsAllTraits)
        {
            throw new ArgumentException("A world corpus needs a linked or null world; the classic world has no documents.", nameof(definition));
        }

        return HarmfulCorpusBuilder.FromWorld(f.Domain, f.CorpusSeed, f.CorpusSize, definition.World.EffectiveRho, definition.World.PersonaShare,
            BaseModelStage.WorldPromptWords, DefaultCatalogue.Instance.Benchmarks);
    }

    /// <summary>Runs the definition's persistence section.</summary>
    /// <param name="definition">A definition with <see cref="ExperimentDefinition.Persistence"/> set.</param>
    /// <param name="preRl">The starting (base) checkpoint.</param>
    /// <param name="finals">Each arm's final checkpoint of the first seed, by arm name (unused, and may be empty, with a world corpus).</param>
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
        var forward = progress is null ? null : new SyncProgress<PersistenceProgress>(p =>
            progress.Report(new StageProgress(StageNames.Persistence, $"{p.Phase}/{p.Subject}", p.Done, p.Total, $"{p.Phase} {p.Subject}: {p.Message}")));
        if (UsesWorldCorpus(definition))
        {
            // The run is the unit of replication: one fine-tune per experiment seed from the same pre-RL checkpoint,
            // each its own data order. Replicates are not compared with each other (no reference).
            List<PersistenceSubject> replicates = [.. definition.Seeds.Select(s => new PersistenceSubject(ReplicateSubject(s), preRl) { LadderSeed = s })];
            return PersistenceRunner.RunAsync(spec, replicates, null, onDoseCheckpoint, forward, cancellationToken, corpus: WorldCorpus(definition));
        }

        var baseline = definition.Arms.Single(a => a.Role == ArmRole.Baseline).Name;
        List<PersistenceSubject> subjects = [new(PreRlSubject, preRl), .. definition.Arms.Select(a => new PersistenceSubject(a.Name, finals[a.Name]))];
        return PersistenceRunner.RunAsync(spec, subjects, baseline, onDoseCheckpoint, forward, cancellationToken);
    }
}
