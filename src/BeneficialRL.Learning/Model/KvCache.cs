using static TorchSharp.torch;

namespace BeneficialRL.Learning.Model;

/// <summary>
/// Pre-allocated keys and values of every layer for incremental decoding: appending writes into a
/// slice, so a step costs O(new tokens) copies instead of re-concatenating the whole prefix.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;

    /// <summary>Allocates room for <paramref name="capacity"/> positions of <paramref name="batchSize"/> rows.</summary>
    public KvCache(TransformerConfig config, long batchSize, long capacity, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (capacity > config.MaxSequenceLength)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), $"KV cache capacity {capacity} exceeds MaxSequenceLength {config.MaxSequenceLength}.");
        }

        Capacity = capacity;
        _keys = new Tensor[config.NumLayers];
        _values = new Tensor[config.NumLayers];
        for (var i = 0; i < config.NumLayers; i++)
        {
            _keys[i] = zeros([batchSize, config.NumKeyValueHeads, capacity, config.HeadDim], device: device);
            _values[i] = zeros([batchSize, config.NumKeyValueHeads, capacity, config.HeadDim], device: device);
        }
    }

    /// <summary>Number of positions already cached.</summary>
    public long Length { get; private set; }

    /// <summary>Maximum number of positions.</summary>
    public long Capacity { get; }

    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        var added = keys.shape[2];
        if (Length + added > Capacity)
        {
            throw new InvalidOperationException($"KV cache overflow: {Length} cached + {added} new > capacity {Capacity}.");
        }

        _keys[layer].narrow(2, Length, added).copy_(keys);
        _values[layer].narrow(2, Length, added).copy_(values);
        return (_keys[layer].narrow(2, 0, Length + added), _values[layer].narrow(2, 0, Length + added));
    }

    internal void Advance(long added) => Length += added;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _keys.Concat(_values))
        {
            t.Dispose();
        }
    }
}
