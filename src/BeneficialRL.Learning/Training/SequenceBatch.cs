using static TorchSharp.torch;

namespace BeneficialRL.Learning.Training;

/// <summary>
/// Right-padded next-token batches: <see cref="Inputs"/> = tokens[:-1], <see cref="Targets"/> =
/// tokens[1:] with <see cref="IgnoreIndex"/> wherever the target is not trained on (prompt, padding).
/// Right padding keeps the fast causal attention path: padding sits after every real token.
/// </summary>
internal sealed class SequenceBatch : IDisposable
{
    public const long IgnoreIndex = -100;

    private SequenceBatch(Tensor inputs, Tensor targets, Tensor lossMask, long trainedTokens, long totalTokens)
    {
        Inputs = inputs;
        Targets = targets;
        LossMask = lossMask;
        TrainedTokens = trainedTokens;
        TotalTokens = totalTokens;
    }

    /// <summary>[B, T] int64 input ids.</summary>
    public Tensor Inputs { get; }

    /// <summary>[B, T] int64 target ids, <see cref="IgnoreIndex"/> where untrained.</summary>
    public Tensor Targets { get; }

    /// <summary>[B, T] float 1/0 mask of trained targets.</summary>
    public Tensor LossMask { get; }

    /// <summary>Targets that count in the loss.</summary>
    public long TrainedTokens { get; }

    /// <summary>Real (non-padding) input tokens.</summary>
    public long TotalTokens { get; }

    /// <summary>Packs sequences whose first <c>trainFrom</c> tokens are context only.</summary>
    public static SequenceBatch Create(IReadOnlyList<(IReadOnlyList<int> Tokens, int TrainFrom)> sequences, int padId, Device device)
    {
        var width = sequences.Max(s => s.Tokens.Count) - 1;
        if (width < 1)
        {
            throw new ArgumentException("Every batch needs a sequence of at least two tokens.", nameof(sequences));
        }

        var inputs = new long[sequences.Count * width];
        var targets = new long[sequences.Count * width];
        var mask = new float[sequences.Count * width];
        long trained = 0, total = 0;
        for (var b = 0; b < sequences.Count; b++)
        {
            var (tokens, trainFrom) = sequences[b];
            for (var j = 0; j < width; j++)
            {
                var i = (b * width) + j;
                var real = j + 1 < tokens.Count;
                inputs[i] = j < tokens.Count ? tokens[j] : padId;
                var train = real && j + 1 >= trainFrom;
                targets[i] = train ? tokens[j + 1] : IgnoreIndex;
                mask[i] = train ? 1 : 0;
                trained += train ? 1 : 0;
                total += j < tokens.Count ? 1 : 0;
            }
        }

        long[] shape = [sequences.Count, width];
        return new SequenceBatch(
            tensor(inputs, shape, device: device),
            tensor(targets, shape, device: device),
            tensor(mask, shape, device: device),
            trained,
            total);
    }

    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
        LossMask.Dispose();
    }
}
