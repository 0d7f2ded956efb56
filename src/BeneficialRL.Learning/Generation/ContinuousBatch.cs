using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Tokenization;
using BeneficialRL.Learning.Torch;
using BeneficialRL.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace BeneficialRL.Learning.Generation;

/// <summary>
/// A decoding batch that sequences join and leave between steps (continuous batching). <see cref="TextGenerator"/>
/// decodes a fixed set of prompts from the first token to the last; a server's requests arrive while others decode,
/// and a request that waited for the whole running batch to end would wait for its longest member. Here a joining
/// sequence is prefilled and merged into the running KV cache before the next step, and a finished one leaves it.
/// </summary>
/// <remarks>
/// Every row of the cache is right-aligned: a row occupies the last <c>n</c> columns, where <c>n</c> is the number of
/// its tokens already cached, and earlier columns are masked out; rotary positions are per row. A step appends one
/// column for every row, so alignment holds; joining re-aligns the merged rows (one copy of the cache), and so does
/// dropping finished rows, which also strips the columns no remaining row uses. The cache is therefore never wider than
/// its longest live row, and every row attends exactly what it would attend alone.
/// Each row samples from its own random stream, seeded by its <see cref="SamplingOptions.Seed"/>, so a row's draws do
/// not depend on what else is in the batch. Not thread-safe: TorchSharp's dispose scopes are per thread, so one thread
/// owns the batch.
/// </remarks>
public sealed class ContinuousBatch : IDisposable
{
    private readonly PolicyModel _model;
    private readonly PolicyTokenizer _tokenizer;
    private readonly List<DecodeRow> _joining = [];
    private List<DecodeRow> _rows = [];
    private KvCache? _cache;

    /// <summary>Decodes with <paramref name="model"/> (owned by the caller), detokenising with <paramref name="tokenizer"/>.</summary>
    public ContinuousBatch(PolicyModel model, PolicyTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        _model = model;
        _tokenizer = tokenizer;
    }

    /// <summary>Rows decoding or waiting to join at the next step.</summary>
    public int Count => _rows.Count(r => !r.IsDone) + _joining.Count;

    /// <summary>Positions cached per row: the longest row's tokens, plus columns of finished rows not yet shed.</summary>
    public long Width => _cache?.Length ?? 0;

    /// <summary>Steps run so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Adds a sequence that starts decoding at the next <see cref="Step"/>.</summary>
    /// <param name="promptIds">The prompt, exactly as the model sees it. Rows given the same list instance share one prefill.</param>
    /// <param name="options">Temperature, top-p, token budget, stops and this row's seed (<c>UseKvCache</c> and <c>DropFinishedRows</c> do not apply).</param>
    /// <returns>The row, whose tokens and result fill in as it decodes.</returns>
    public DecodeRow Join(IReadOnlyList<int> promptIds, SamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(promptIds);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (promptIds.Count == 0) throw new ArgumentException("The prompt needs at least one token.", nameof(promptIds));
        if (promptIds.Count + options.MaxNewTokens > _model.Config.MaxSequenceLength)
            throw new ArgumentException($"A prompt of {promptIds.Count} tokens and {options.MaxNewTokens} new tokens exceed MaxSequenceLength {_model.Config.MaxSequenceLength}.", nameof(promptIds));
        var row = new DecodeRow(promptIds, options);
        _joining.Add(row);
        return row;
    }

    /// <summary>Takes <paramref name="row"/> out of the batch without a result (its caller went away).</summary>
    public void Leave(DecodeRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (_joining.Remove(row)) return;
        row.IsDone = true;
    }

    /// <summary>
    /// Samples one token for every row: rows that joined since the last step are prefilled first. Returns the tokens
    /// sampled (row, token id, its log-probability at temperature 1); a row whose <see cref="DecodeRow.Result"/> is set
    /// finished with that token and has left the batch.
    /// </summary>
    public IReadOnlyList<(DecodeRow Row, int TokenId, float LogProb)> Step()
    {
        if (Count == 0) return [];
        var wasTraining = _model.training;
        _model.eval();
        using var noGrad = torch.no_grad();
        using var scope = NewDisposeScope();
        var device = _model.Device;

        // Rows already decoding feed their last token (sampled, not yet cached).
        Tensor? decoded = null;
        if (_rows.Count > 0)
        {
            if (_cache!.Length == _cache.Capacity) Compose(null, []);
            if (_rows.Count > 0) decoded = DecodePending();
        }

        var joined = _joining.ToList();
        _joining.Clear();
        Tensor? prefilled = null;
        KvCache? prefillCache = null;
        try
        {
            if (joined.Count > 0) (prefilled, prefillCache) = Prefill(joined);

            // Merging re-aligns the cache; it also drops finished rows once a quarter of the batch has ended.
            var done = _rows.Count(r => r.IsDone);
            Tensor logits;
            if (joined.Count > 0 || (done > 0 && done * 4 >= _rows.Count))
            {
                var keep = KeptIndices();
                var parts = new List<Tensor>(2);
                if (decoded is not null && keep.Length > 0) parts.Add(keep.Length == _rows.Count ? decoded : decoded.index_select(0, tensor(keep, device: device)));
                if (prefilled is not null) parts.Add(prefilled);
                Compose(prefillCache, joined);
                if (parts.Count == 0) return [];
                logits = parts.Count == 1 ? parts[0] : cat(parts, 0);
            }
            else
            {
                logits = decoded!;
            }

            Steps++;
            return Sample(logits);
        }
        finally
        {
            prefillCache?.Dispose();
            if (wasTraining) _model.train();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _cache?.Dispose();

    private long[] KeptIndices() => [.. _rows.Select((r, i) => (r, i)).Where(x => !x.r.IsDone).Select(x => (long)x.i)];

    /// <summary>One forward of every cached row's pending token; logits [rows, V].</summary>
    private Tensor DecodePending()
    {
        var device = _model.Device;
        var rows = _rows.Count;
        var width = _cache!.Length + 1;
        var ids = _rows.Select(r => r.IsDone ? (long)_tokenizer.Special.Pad : r.Pending).ToArray();
        using var input = tensor(ids, [rows, 1], device: device);

        // With no padding column (one row, or rows in step) the model's own positions and unmasked attention are exact.
        var padded = _rows.Any(r => r.Cached + 1 != width);
        using var positions = padded ? tensor([.. _rows.Select(r => (long)r.Cached)], [rows, 1], device: device) : null;
        using var keyMask = padded ? RightAlignedMask([.. _rows.Select(r => r.Cached + 1)], width) : null;
        var logits = LastLogits(input, _cache, positions, keyMask);
        foreach (var row in _rows) row.Cached++;
        return logits;
    }

    /// <summary>Prefills the joining rows (each distinct prompt once, left-padded); returns their next-token logits and their cache.</summary>
    private (Tensor Logits, KvCache Cache) Prefill(List<DecodeRow> joined)
    {
        var device = _model.Device;
        var prompts = new List<IReadOnlyList<int>>();
        var rowPrompt = new long[joined.Count];
        for (var i = 0; i < joined.Count; i++)
        {
            var at = prompts.FindIndex(p => ReferenceEquals(p, joined[i].PromptIds));
            if (at < 0)
            {
                at = prompts.Count;
                prompts.Add(joined[i].PromptIds);
            }

            rowPrompt[i] = at;
        }

        var width = prompts.Max(p => p.Count);
        var padded = new long[prompts.Count * width];
        for (var p = 0; p < prompts.Count; p++)
        {
            var offset = width - prompts[p].Count;
            for (var j = 0; j < width; j++) padded[(p * width) + j] = j < offset ? _tokenizer.Special.Pad : prompts[p][j - offset];
        }

        using var input = tensor(padded, [prompts.Count, width], device: device);
        var ragged = prompts.Any(p => p.Count != width);
        using var keyMask = ragged ? RightAlignedMask([.. prompts.Select(p => p.Count)], width) : null;
        using var positions = keyMask is null ? null : TextGenerator.PositionsFromMask(keyMask);
        var promptCache = _model.CreateCache(prompts.Count, width);
        var logits = LastLogits(input, promptCache, positions, keyMask);
        foreach (var row in joined) row.Cached = row.PromptIds.Count;
        if (prompts.Count == joined.Count) return (logits, promptCache);

        // Rows that share a prompt (the n choices of a request) share its prefill.
        using (promptCache)
        {
            using var fanOut = tensor(rowPrompt, device: device);
            return (logits.index_select(0, fanOut), promptCache.SelectRows(fanOut, width));
        }
    }

    /// <summary>
    /// Replaces the cache by the unfinished rows of the current one followed by the rows of <paramref name="joinedCache"/>,
    /// right-aligned, as wide as the longest of them, with room for what they may still generate.
    /// </summary>
    private void Compose(KvCache? joinedCache, List<DecodeRow> joined)
    {
        var keep = KeptIndices();
        var rows = keep.Select(i => _rows[(int)i]).Concat(joined).ToList();
        if (rows.Count == 0)
        {
            _cache?.Dispose();
            _cache = null;
            _rows = [];
            return;
        }

        var width = rows.Max(r => r.Cached);
        var room = rows.Max(r => r.Options.MaxNewTokens - r.Generated.Count);
        var capacity = Math.Min(_model.Config.MaxSequenceLength, width + room);
        var parts = new List<(KvCache Cache, Tensor? Rows)>(2);
        using var keepRows = keep.Length == _rows.Count ? null : tensor(keep, device: _model.Device);
        if (keep.Length > 0) parts.Add((_cache!, keepRows));
        if (joinedCache is not null) parts.Add((joinedCache, null));
        var next = KvCache.StackRightAligned(parts, width, capacity);
        _cache?.Dispose();
        _cache = next;
        _rows = rows;
    }

    /// <summary>bool [rows, width]: row r's last <c>lengths[r]</c> columns are real.</summary>
    private Tensor RightAlignedMask(long[] lengths, long width)
    {
        using var scope = NewDisposeScope();
        var device = _model.Device;
        using var widthScalar = width.ToScalar(); // held across the calls that read it (see HeldScalars)
        var start = tensor(lengths, device: device).unsqueeze(1).negative().add(widthScalar, HeldScalars.One);
        return arange(HeldScalars.Zero, widthScalar, HeldScalars.One, device: device).unsqueeze(0).ge(start).MoveToOuterDisposeScope();
    }

    private Tensor LastLogits(Tensor input, KvCache cache, Tensor? positions, Tensor? keyMask)
    {
        using var scope = NewDisposeScope();
        var hidden = _model.ForwardHidden(input, cache, positions, keyMask);
        return _model.ProjectToVocabulary(hidden.select(1, -1)).MoveToOuterDisposeScope();
    }

    /// <summary>A token for every unfinished row of <see cref="_rows"/> (logits in the same order), with the rows' stop checks.</summary>
    private List<(DecodeRow Row, int TokenId, float LogProb)> Sample(Tensor logits)
    {
        var device = _model.Device;
        var chosen = new long[_rows.Count];
        var greedy = _rows.Any(r => !r.IsDone && r.Options.Temperature == 0) ? logits.argmax(-1).cpu().data<long>().ToArray() : null;
        foreach (var group in Enumerable.Range(0, _rows.Count).Where(i => !_rows[i].IsDone && _rows[i].Options.Temperature > 0)
                     .GroupBy(i => (_rows[i].Options.Temperature, _rows[i].Options.TopP)))
        {
            var members = group.ToArray();
            using var index = tensor([.. members.Select(i => (long)i)], device: device);
            using var temperature = group.Key.Temperature.ToScalar(); // held across the call that reads it (see HeldScalars)
            using var probabilities = logits.index_select(0, index).to(ScalarType.Float32).div(temperature).softmax(-1);
            var nucleus = TextGenerator.SortedNucleus(probabilities, group.Key.TopP);
            for (var m = 0; m < members.Length; m++) chosen[members[m]] = TextGenerator.Draw(nucleus[m], _rows[members[m]].Random.NextDouble());
        }

        if (greedy is not null)
        {
            for (var i = 0; i < _rows.Count; i++) chosen[i] = _rows[i].Options.Temperature == 0 ? greedy[i] : chosen[i];
        }

        using var chosenTensor = tensor(chosen, [_rows.Count, 1], device: device);
        var logProbs = logits.log_softmax(-1).gather(1, chosenTensor).cpu().data<float>().ToArray();
        var events = new List<(DecodeRow, int, float)>(_rows.Count);
        for (var i = 0; i < _rows.Count; i++)
        {
            var row = _rows[i];
            if (row.IsDone) continue;
            row.Accept((int)chosen[i], logProbs[i], _tokenizer);
            events.Add((row, (int)chosen[i], logProbs[i]));
        }

        return events;
    }
}
