using BeneficialRL.Learning.Checkpoints;

namespace BeneficialRL.Durability.FineTuning;

/// <summary>
/// A positive dose's checkpoint handed to the caller (e.g. to store as a checkpoint resource). The checkpoint carries the
/// lineage in its labels and the SFT trainer state; it is disposed once the callback's task completes, so copy or save it there.
/// </summary>
/// <param name="Lineage">Parent hash, dose, domain, corpus.</param>
/// <param name="Checkpoint">Weights, metadata (labels = <see cref="CheckpointLineage.ToLabels"/>) and trainer state.</param>
public sealed record DoseCheckpoint(CheckpointLineage Lineage, Checkpoint Checkpoint);
