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

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in OptimizerTensors.Values)
        {
            t.Dispose();
        }
    }
}
