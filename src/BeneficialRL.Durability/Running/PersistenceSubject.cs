using BeneficialRL.Learning.Checkpoints;

namespace BeneficialRL.Durability.Running;

/// <summary>A named checkpoint to test (e.g. <c>pre-rl</c>, <c>baseline</c>, <c>treatment</c>, or an imported one). The caller owns and disposes the checkpoint.</summary>
/// <param name="Name">Unique within a run; results and comparisons are keyed by it.</param>
/// <param name="Checkpoint">The weights and tokenizer.</param>
public sealed record PersistenceSubject(string Name, Checkpoint Checkpoint)
{
    /// <summary>
    /// The data-order seed of this subject's fine-tuning ladder; null = the spec's <see cref="FineTuningSpec.Seed"/>. Set it
    /// to repeat the ladder from one checkpoint under several seeds (the emergent-misalignment control's replicates).
    /// </summary>
    public long? LadderSeed { get; init; }
}
