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

    private KvCache(Tensor[] keys, Tensor[] values, long capacity, long length)
    {
        _keys = keys;
        _values = values;
        Capacity = capacity;
        Length = length;
    }

    /// <summary>Number of positions already cached.</summary>
    public long Length { get; private set; }

    /// <summary>Maximum number of positions.</summary>
    public long Capacity { get; }

    /// <summary>
    /// A new cache whose row <c>i</c> is a copy of this cache's row <c>rows[i]</c> (its cached positions only), with room
    /// for <paramref name="capacity"/> positions: one prefilled prompt fans out to several continuations (the options of
    /// a multiple-choice item, the k samples of a prompt), and finished rows can be dropped from a decoding batch.
    /// </summary>
    /// <param name="rows">Source row of each new row, int64 [N], on the cache's device.</param>
    /// <param name="capacity">Positions the new cache can hold; at least <see cref="Length"/>.</param>
    public KvCache SelectRows(Tensor rows, long capacity)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, Length);
        var keys = new Tensor[_keys.Length];
        var values = new Tensor[_values.Length];
        for (var i = 0; i < _keys.Length; i++)
        {
            // The new cache owns its tensors: they must outlive whatever dispose scope the caller is in.
            keys[i] = Grow(_keys[i].index_select(0, rows), capacity).DetachFromDisposeScope();
            values[i] = Grow(_values[i].index_select(0, rows), capacity).DetachFromDisposeScope();
        }

        return new KvCache(keys, values, capacity, Length);
    }

    /// <summary>
    /// A new cache of the rows of several caches, stacked in order and right-aligned to <paramref name="width"/> cached
    /// positions: each source row keeps its last <c>min(width, source length)</c> positions, placed at the end, and the
    /// columns before them are zero (callers mask them). A continuous batch merges joining rows into the running ones
    /// this way, and strips columns that no remaining row uses.
    /// </summary>
    /// <param name="parts">Each source cache and the rows taken from it (int64 [N] on its device; null: all rows).</param>
    /// <param name="width">Cached positions of the new cache.</param>
    /// <param name="capacity">Positions the new cache can hold; at least <paramref name="width"/>.</param>
    public static KvCache StackRightAligned(IReadOnlyList<(KvCache Cache, Tensor? Rows)> parts, long width, long capacity)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0) throw new ArgumentException("Nothing to stack.", nameof(parts));
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, width);
        var layers = parts[0].Cache._keys.Length;
        var keys = new Tensor[layers];
        var values = new Tensor[layers];
        for (var layer = 0; layer < layers; layer++)
        {
            keys[layer] = Stack(parts, layer, width, capacity, c => c._keys);
            values[layer] = Stack(parts, layer, width, capacity, c => c._values);
        }

        return new KvCache(keys, values, capacity, width);
    }

    private static Tensor Stack(IReadOnlyList<(KvCache Cache, Tensor? Rows)> parts, int layer, long width, long capacity, Func<KvCache, Tensor[]> of)
    {
        using var scope = NewDisposeScope();
        var first = of(parts[0].Cache)[layer];
        var rows = parts.Sum(p => p.Rows?.shape[0] ?? of(p.Cache)[layer].shape[0]);
        var stacked = zeros([rows, first.shape[1], capacity, first.shape[3]], first.dtype, first.device);
        long row = 0;
        foreach (var (cache, selected) in parts)
        {
            var source = of(cache)[layer];
            var take = Math.Min(width, cache.Length);
            var block = source.narrow(2, cache.Length - take, take);
            block = selected is null ? block : block.index_select(0, selected);
            stacked.narrow(0, row, block.shape[0]).narrow(2, width - take, take).copy_(block);
            row += block.shape[0];
        }

        // The new cache owns its tensors: they must outlive whatever dispose scope the caller is in.
        return stacked.DetachFromDisposeScope();
    }

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

    private Tensor Grow(Tensor selected, long capacity)
    {
        if (selected.shape[2] == capacity)
        {
            return selected;
        }

        // Only the cached prefix is meaningful; the rest is fresh room for the continuation.
        var grown = zeros([selected.shape[0], selected.shape[1], capacity, selected.shape[3]], selected.dtype, selected.device);
        grown.narrow(2, 0, Length).copy_(selected.narrow(2, 0, Length));
        selected.Dispose();
        return grown;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _keys.Concat(_values))
        {
            t.Dispose();
        }
    }
}
