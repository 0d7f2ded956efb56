using static TorchSharp.torch;

namespace BeneficialRL.Learning.Training;

/// <summary>
/// What a trainer needs beyond the weights to continue exactly where it stopped: its step, its
/// random generator, and the optimizer's moments (CPU tensors, stored as <c>optimizer.safetensors</c>).
/// </summary>
public sealed class TrainerState : IDisposable
{
    /// <summary>Optimizer updates completed.</summary>
    public required long Step { get; init; }

    /// <summary>State words of the trainer's <see cref="DeterministicRandom"/>.</summary>
    public required IReadOnlyList<ulong> RandomState { get; init; }

    /// <summary>AdamW's own step count.</summary>
    public required long OptimizerStep { get; init; }

    /// <summary>AdamW moments by name.</summary>
    public required IReadOnlyDictionary<string, Tensor> OptimizerTensors { get; init; }

    /// <summary>Which trainer wrote it (<c>sft</c> or <c>grpo</c>), checked on restore.</summary>
    public required string TrainerKind { get; init; }

    /// <summary>Snapshots a trainer of kind <paramref name="kind"/>: its step, random generator and optimizer moments.</summary>
    internal static TrainerState Capture(string kind, long step, DeterministicRandom random, AdamWOptimizer optimizer) => new()
    {
        Step = step,
        RandomState = random.GetState(),
        OptimizerStep = optimizer.StepCount,
        OptimizerTensors = optimizer.ExportState(),
        TrainerKind = kind,
    };

    /// <summary>
    /// Loads the optimizer moments into <paramref name="optimizer"/> and returns the random generator to continue
    /// with; a state written by another kind of trainer is refused.
    /// </summary>
    internal DeterministicRandom RestoreInto(string kind, AdamWOptimizer optimizer)
    {
        if (TrainerKind != kind)
        {
            throw new ArgumentException($"Trainer state of kind '{TrainerKind}' cannot resume a {kind} trainer.");
        }

        optimizer.ImportState(OptimizerTensors, OptimizerStep);
        return new DeterministicRandom(RandomState);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in OptimizerTensors.Values)
        {
            t.Dispose();
        }
    }
}
