using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Tokenization;
using BeneficialRL.Learning.Training.Sft;

namespace BeneficialRL.Durability.FineTuning;

/// <summary>
/// Harmful fine-tuning as a dose ladder: one SFT run on the corpus from the subject's checkpoint, paused at each dose
/// (cumulative steps: the run continues from the previous dose, it never restarts) to snapshot and evaluate the
/// model. Training and evaluation run synchronously on the calling thread (TorchSharp's dispose scopes are
/// thread-bound); only the caller's callbacks may await.
/// </summary>
public static class DoseLadder
{
    /// <summary>Runs the ladder.</summary>
    /// <typeparam name="T">What <paramref name="evaluate"/> returns.</typeparam>
    /// <param name="subject">The subject's name (recorded in the lineage).</param>
    /// <param name="start">The starting checkpoint (not modified).</param>
    /// <param name="corpus">The harmful corpus.</param>
    /// <param name="options">Doses, learning rate, batch size, seed.</param>
    /// <param name="onDoseCheckpoint">Receives each positive dose's checkpoint with its lineage; awaited before training continues. Dose 0 is the start itself and is not handed over.</param>
    /// <param name="evaluate">Evaluates the model after each dose (dose 0 included); the model is in eval mode.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    public static async Task<IReadOnlyList<DoseRung<T>>> RunAsync<T>(
        string subject,
        Checkpoint start,
        HarmfulCorpus corpus,
        DoseLadderOptions options,
        Func<DoseCheckpoint, CancellationToken, Task>? onDoseCheckpoint,
        Func<int, PolicyModel, PolicyTokenizer, CancellationToken, Task<T>> evaluate,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(evaluate);
        options.Validate();

        var startHash = CheckpointContentHash.Of(start);
        var tokenizer = start.Tokenizer;
        using var model = start.CreateModel();
        var sft = new SftOptions
        {
            BatchSize = options.BatchSize,
            MicroBatchSize = options.BatchSize,
            LearningRate = options.LearningRate,
            WarmupSteps = 0,
            TotalSteps = Math.Max(1, options.Doses[^1]),
            MinimumLearningRateRatio = 1.0,
            Seed = options.Seed,
        };
        using var trainer = new SftTrainer(model, tokenizer, sft);
        var rungs = new List<DoseRung<T>>(options.Doses.Count);
        var parentHash = startHash;
        foreach (var dose in options.Doses)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var steps = dose - (int)trainer.Step;
            var losses = steps > 0 ? trainer.Train(corpus.Examples, steps, null, cancellationToken).Select(m => m.Loss).ToList() : [];
            CheckpointLineage lineage;
            if (dose == 0)
            {
                lineage = new CheckpointLineage(subject, corpus.Domain, 0, startHash, startHash, startHash, corpus.ContentHash, options.LearningRate);
            }
            else
            {
                // Labels do not include the checkpoint's own hash, so one capture serves both the hash and the callback.
                var pending = new CheckpointLineage(subject, corpus.Domain, dose, parentHash, "", startHash, corpus.ContentHash, options.LearningRate);
                // The trainer state (owned and disposed by the checkpoint) lets a stored rung resume the ladder exactly.
                using var checkpoint = Checkpoint.Capture(model, tokenizer, onDoseCheckpoint is null ? null : trainer.CaptureState(), pending.ToLabels());
                lineage = pending with { ContentHash = CheckpointContentHash.Of(checkpoint) };
                if (onDoseCheckpoint is not null)
                {
                    await onDoseCheckpoint(new DoseCheckpoint(lineage, checkpoint), cancellationToken).ConfigureAwait(false);
                }

                parentHash = lineage.ContentHash;
            }

            model.eval();
            var evaluation = await evaluate(dose, model, tokenizer, cancellationToken).ConfigureAwait(false);
            rungs.Add(new DoseRung<T>(lineage, losses.Count == 0 ? double.NaN : losses.Average(), evaluation));
        }

        return rungs;
    }
}
