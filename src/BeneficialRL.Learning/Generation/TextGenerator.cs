using BeneficialRL.Learning.Chat;
using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Tokenization;
using BeneficialRL.Learning.Torch;
using BeneficialRL.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace BeneficialRL.Learning.Generation;

/// <summary>
/// Batched autoregressive sampling (temperature, top-p, stop sequences, token budget) with a KV
/// cache. Prompts of different lengths are left-padded with explicit positions and a key mask, so
/// every row sees exactly what it would see alone. Sampling decisions come from a seeded
/// <see cref="DeterministicRandom"/>, so results repeat for a seed.
/// </summary>
public sealed class TextGenerator
{
    // Candidates sorted per step under nucleus sampling when they cover its mass (see TopCandidates).
    private const int NucleusCandidates = 256;

    private readonly PolicyModel _model;
    private readonly PolicyTokenizer _tokenizer;
    private readonly ChatTemplate _template;

    /// <summary>Samples from <paramref name="model"/>, decoding with <paramref name="tokenizer"/>.</summary>
    public TextGenerator(PolicyModel model, PolicyTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        _model = model;
        _tokenizer = tokenizer;
        _template = new ChatTemplate(tokenizer);
    }

    /// <summary>Completes plain-text prompts (a beginning-of-sequence token is prepended).</summary>
    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<string> prompts, SamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        return GenerateFromTokens([.. prompts.Select(p => (IReadOnlyList<int>)_template.RenderPlain(p))], options);
    }

    /// <summary>Generates the next assistant turn of each conversation.</summary>
    public IReadOnlyList<GenerationResult> GenerateChat(IReadOnlyList<IReadOnlyList<ChatTurn>> conversations, SamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        return GenerateFromTokens([.. conversations.Select(c => (IReadOnlyList<int>)_template.RenderPrompt(c))], options);
    }

    /// <summary>Runs <see cref="Generate"/> on a worker thread (dispose scopes are per thread, so the whole call stays on one).</summary>
    public Task<IReadOnlyList<GenerationResult>> GenerateAsync(IReadOnlyList<string> prompts, SamplingOptions options, CancellationToken cancellationToken = default) =>
        Task.Run(() => Generate(prompts, options), cancellationToken);

    /// <summary>Runs <see cref="GenerateChat(IReadOnlyList{IReadOnlyList{ChatTurn}}, SamplingOptions)"/> on a worker thread.</summary>
    public Task<IReadOnlyList<GenerationResult>> GenerateChatAsync(IReadOnlyList<IReadOnlyList<ChatTurn>> conversations, SamplingOptions options, CancellationToken cancellationToken = default) =>
        Task.Run(() => GenerateChat(conversations, options), cancellationToken);

    /// <summary>Generates <paramref name="samplesPerPrompt"/> next assistant turns per conversation, prompt-major (all samples of the first conversation first).</summary>
    public IReadOnlyList<GenerationResult> GenerateChat(IReadOnlyList<IReadOnlyList<ChatTurn>> conversations, SamplingOptions options, int samplesPerPrompt)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        return GenerateFromTokens([.. conversations.Select(c => (IReadOnlyList<int>)_template.RenderPrompt(c))], options, samplesPerPrompt);
    }

    /// <summary>Completes prompts given as token ids.</summary>
    public IReadOnlyList<GenerationResult> GenerateFromTokens(IReadOnlyList<IReadOnlyList<int>> prompts, SamplingOptions options) =>
        GenerateFromTokens(prompts, options, 1);

    /// <summary>
    /// Completes each prompt <paramref name="samplesPerPrompt"/> times, results prompt-major: row <c>p * k + s</c> is sample
    /// <c>s</c> of prompt <c>p</c>. With the KV cache a prompt is prefilled once and its cache copied to its k rows;
    /// the result equals completing a list in which every prompt is repeated k times, with the same seed.
    /// </summary>
    public IReadOnlyList<GenerationResult> GenerateFromTokens(IReadOnlyList<IReadOnlyList<int>> prompts, SamplingOptions options, int samplesPerPrompt) =>
        GenerateFromTokens(prompts, options, samplesPerPrompt, onToken: null);

    /// <summary>
    /// As <see cref="GenerateFromTokens(IReadOnlyList{IReadOnlyList{int}}, SamplingOptions, int)"/>, calling
    /// <paramref name="onToken"/> with (result row, token id, its log-probability) as each token is sampled, before the
    /// row's stop checks, so a caller can stream completions while the batch decodes.
    /// </summary>
    public IReadOnlyList<GenerationResult> GenerateFromTokens(IReadOnlyList<IReadOnlyList<int>> prompts, SamplingOptions options, int samplesPerPrompt, Action<int, int, float>? onToken)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samplesPerPrompt);
        options.Validate();
        if (prompts.Count == 0)
        {
            return [];
        }

        if (prompts.Any(p => p.Count == 0))
        {
            throw new ArgumentException("Every prompt needs at least one token.", nameof(prompts));
        }

        var promptCount = prompts.Count;
        var rows = promptCount * samplesPerPrompt;
        var promptWidth = prompts.Max(p => p.Count);
        var maxNew = Math.Min(options.MaxNewTokens, _model.Config.MaxSequenceLength - promptWidth);
        if (maxNew < 1)
        {
            throw new ArgumentException($"A prompt of {promptWidth} tokens leaves no room to generate within MaxSequenceLength {_model.Config.MaxSequenceLength}.", nameof(prompts));
        }

        var random = new DeterministicRandom(options.Seed);
        var generated = Enumerable.Range(0, rows).Select(_ => new List<int>()).ToArray();
        var logProbs = Enumerable.Range(0, rows).Select(_ => new List<float>()).ToArray();
        var finish = new FinishReason?[rows];
        var texts = new string?[rows];
        var ragged = prompts.Any(p => p.Count != promptWidth);
        var device = _model.Device;

        var wasTraining = _model.training;
        _model.eval();
        using var noGrad = torch.no_grad();
        using var outer = NewDisposeScope();
        var padded = new long[promptCount * promptWidth];
        var valid = new bool[promptCount * promptWidth];
        for (var b = 0; b < promptCount; b++)
        {
            var offset = promptWidth - prompts[b].Count;
            for (var j = 0; j < promptWidth; j++)
            {
                padded[(b * promptWidth) + j] = j < offset ? _tokenizer.Special.Pad : prompts[b][j - offset];
                valid[(b * promptWidth) + j] = j >= offset;
            }
        }

        var sequence = tensor(padded, [promptCount, promptWidth], device: device);
        Tensor? keyMask = ragged ? tensor(valid, [promptCount, promptWidth], device: device) : null;
        Tensor? positions = keyMask is null ? null : PositionsFromMask(keyMask);
        var rowPrompt = tensor([.. Enumerable.Range(0, rows).Select(r => (long)(r / samplesPerPrompt))], device: device);
        KvCache? cache = null;
        Tensor? pendingLogits = null;
        if (options.UseKvCache && samplesPerPrompt > 1)
        {
            // One prefill per prompt; its keys and values are copied to the prompt's k rows.
            using var promptCache = _model.CreateCache(promptCount, promptWidth);
            var promptLogits = LastLogits(sequence, promptCache, positions, keyMask);
            cache = promptCache.SelectRows(rowPrompt, promptWidth + maxNew);
            pendingLogits = promptLogits.index_select(0, rowPrompt);
        }
        else if (options.UseKvCache)
        {
            cache = _model.CreateCache(rows, promptWidth + maxNew);
        }

        if (samplesPerPrompt > 1)
        {
            sequence = sequence.index_select(0, rowPrompt);
            keyMask = keyMask?.index_select(0, rowPrompt);
            positions = positions?.index_select(0, rowPrompt);
        }

        var input = pendingLogits is null ? sequence : sequence.narrow(1, promptWidth - 1, 1);
        var inputPositions = pendingLogits is null ? positions : positions?.narrow(1, promptWidth - 1, 1);

        // Rows still in the batch, by result row; finished rows are dropped once enough of them pile up.
        var live = Enumerable.Range(0, rows).ToArray();
        var finishedInBatch = 0;
        try
        {
            for (var step = 0; step < maxNew; step++)
            {
                using var scope = NewDisposeScope();
                var last = pendingLogits ?? LastLogits(input, cache, inputPositions, keyMask);
                pendingLogits = null;
                var chosen = Sample(last, options, random, live, rows);
                using var chosenTensor = tensor(chosen, [live.Length, 1], device: device);
                var chosenLogProbs = last.log_softmax(-1).gather(1, chosenTensor).cpu().data<float>().ToArray();
                for (var i = 0; i < live.Length; i++)
                {
                    var b = live[i];
                    if (finish[b] is not null)
                    {
                        continue;
                    }

                    generated[b].Add((int)chosen[i]);
                    logProbs[b].Add(chosenLogProbs[i]);
                    onToken?.Invoke(b, (int)chosen[i], chosenLogProbs[i]);
                    if (chosen[i] == _tokenizer.Special.Eos && options.StopAtEndOfTurn)
                    {
                        finish[b] = FinishReason.EndOfTurn;
                        finishedInBatch++;
                    }
                    else if (options.StopSequences.Count > 0)
                    {
                        var text = _tokenizer.Decode(generated[b]);
                        var cut = FirstStop(text, options.StopSequences);
                        if (cut >= 0)
                        {
                            finish[b] = FinishReason.StopSequence;
                            texts[b] = text[..cut];
                            finishedInBatch++;
                        }
                    }
                }

                if (finishedInBatch == live.Length || step == maxNew - 1)
                {
                    break;
                }

                // Rows that finished keep decoding padding so the batch stays rectangular; their output is ignored.
                var nextIds = tensor(chosen.Select((id, i) => finish[live[i]] is null ? id : _tokenizer.Special.Pad).ToArray(), [live.Length, 1], device: device);
                Tensor? nextPositions = inputPositions?.select(1, -1).unsqueeze(1).add(HeldScalars.One, HeldScalars.One);
                if (keyMask is not null)
                {
                    keyMask = cat([keyMask, ones([live.Length, 1], ScalarType.Bool, device: device)], 1).MoveToOuterDisposeScope();
                }

                if (cache is not null)
                {
                    input = nextIds.MoveToOuterDisposeScope();
                    inputPositions = nextPositions?.MoveToOuterDisposeScope();
                }
                else
                {
                    input = cat([input, nextIds], 1).MoveToOuterDisposeScope();
                    inputPositions = inputPositions is null ? null : cat([inputPositions, nextPositions!], 1).MoveToOuterDisposeScope();
                }

                // Dropping finished rows costs one copy of the cache; do it once a quarter of the batch has ended.
                if (options.DropFinishedRows && finishedInBatch * 4 >= live.Length)
                {
                    var keep = Enumerable.Range(0, live.Length).Where(i => finish[live[i]] is null).ToArray();
                    using var keepTensor = tensor([.. keep.Select(i => (long)i)], device: device);
                    input = input.index_select(0, keepTensor).MoveToOuterDisposeScope();
                    inputPositions = inputPositions?.index_select(0, keepTensor).MoveToOuterDisposeScope();
                    keyMask = keyMask?.index_select(0, keepTensor).MoveToOuterDisposeScope();
                    if (cache is not null)
                    {
                        var compacted = cache.SelectRows(keepTensor, cache.Capacity);
                        cache.Dispose();
                        cache = compacted;
                    }

                    live = [.. keep.Select(i => live[i])];
                    finishedInBatch = 0;
                }
            }
        }
        finally
        {
            cache?.Dispose();
        }

        if (wasTraining)
        {
            _model.train();
        }

        return [.. Enumerable.Range(0, rows).Select(b => new GenerationResult(
            texts[b] ?? _tokenizer.Decode(generated[b]),
            generated[b],
            logProbs[b],
            finish[b] ?? FinishReason.Length))];
    }

    /// <summary>Logits [B, V] of the last position only: the vocabulary projection of every other position would be thrown away.</summary>
    private Tensor LastLogits(Tensor input, KvCache? cache, Tensor? positions, Tensor? keyMask)
    {
        using var scope = NewDisposeScope();
        var hidden = _model.ForwardHidden(input, cache, positions, keyMask);
        return _model.ProjectToVocabulary(hidden.select(1, -1)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Each row's probabilities in descending order with their token ids, zeroed after the nucleus (the smallest prefix
    /// holding <paramref name="topP"/> of the mass; a token is dropped when the mass before it already reaches it).
    /// Only the top <paramref name="candidates"/> of a row are sorted when they already hold that mass, since every
    /// later token would be cut anyway; other rows sort the whole vocabulary. Sorting and copying the whole vocabulary
    /// of every row each step cost as much as the forward pass of a small model.
    /// </summary>
    internal static (float[] Mass, long[] Ids)[] SortedNucleus(Tensor probabilities, double topP, int candidates = NucleusCandidates)
    {
        using var scope = NewDisposeScope();
        using var mass = topP.ToScalar(); // held across the calls that read it (see HeldScalars)
        var batch = (int)probabilities.shape[0];
        var vocab = probabilities.shape[1];
        var result = new (float[] Mass, long[] Ids)[batch];
        var unsorted = Enumerable.Range(0, batch).ToArray();
        if (topP < 1 && vocab > candidates)
        {
            var (top, topIds) = probabilities.topk(candidates, dim: -1, largest: true, sorted: true);
            var kept = CutNucleus(top, mass);

            // The same comparison the cut makes (the mass before the first left-out token), so the cut is identical.
            var covered = top.cumsum(-1).select(-1, -1).ge(mass).cpu().data<bool>().ToArray();
            Unpack(kept, topIds, [.. Enumerable.Range(0, batch).Where(b => covered[b])], result, candidates);
            unsorted = [.. Enumerable.Range(0, batch).Where(b => !covered[b])];
        }

        if (unsorted.Length > 0)
        {
            var rows = unsorted.Length == batch ? probabilities : probabilities.index_select(0, tensor([.. unsorted.Select(b => (long)b)], device: probabilities.device));
            var (sorted, sortedIds) = rows.sort(-1, descending: true);
            Unpack(topP < 1 ? CutNucleus(sorted, mass) : sorted, sortedIds, unsorted, result, (int)vocab);
        }

        return result;
    }

    private static Tensor CutNucleus(Tensor sorted, Scalar topP)
    {
        var before = sorted.cumsum(-1) - sorted;
        return sorted.masked_fill(before.ge(topP), HeldScalars.Zero);
    }

    /// <summary>
    /// Positions of a left-padded batch from its key mask [rows, width]: a real token's index among its row's real
    /// tokens; padding gets 0 (it is masked out anyway).
    /// </summary>
    internal static Tensor PositionsFromMask(Tensor keyMask)
    {
        using var scope = NewDisposeScope();
        return keyMask.to(ScalarType.Int64).cumsum(1).sub(HeldScalars.One).clamp_min(HeldScalars.Zero).MoveToOuterDisposeScope();
    }

    /// <summary>Copies rows of [N, width] (masses, ids) to the batch rows <paramref name="targets"/> (the first N, or those of a subset).</summary>
    private static void Unpack(Tensor mass, Tensor ids, int[] targets, (float[] Mass, long[] Ids)[] result, int width)
    {
        if (targets.Length == 0)
        {
            return;
        }

        var subset = mass.shape[0] == targets.Length;
        var masses = mass.cpu().data<float>().ToArray();
        var tokens = ids.cpu().data<long>().ToArray();
        for (var i = 0; i < targets.Length; i++)
        {
            var source = subset ? i : targets[i];
            result[targets[i]] = (masses[(source * width)..((source + 1) * width)], tokens[(source * width)..((source + 1) * width)]);
        }
    }

    /// <summary>Where the earliest of <paramref name="stops"/> starts in <paramref name="text"/>, or -1.</summary>
    internal static int FirstStop(string text, IReadOnlyList<string> stops)
    {
        var first = -1;
        foreach (var stop in stops)
        {
            var at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first))
            {
                first = at;
            }
        }

        return first;
    }

    /// <summary>The token a uniform draw <paramref name="uniform"/> picks from a row's (possibly cut) sorted nucleus.</summary>
    internal static long Draw((float[] Mass, long[] Ids) nucleus, double uniform)
    {
        var (mass, ids) = nucleus;
        double total = 0;
        for (var v = 0; v < mass.Length; v++)
        {
            total += mass[v];
        }

        var target = uniform * total;
        double running = 0;
        var pick = -1;
        var lastPositive = 0;
        for (var v = 0; v < mass.Length && pick < 0; v++)
        {
            var p = mass[v];
            running += p;
            lastPositive = p > 0 ? v : lastPositive;
            pick = running > target ? v : -1;
        }

        // Rounding can leave the draw just above the summed mass; the last candidate then takes it.
        pick = pick < 0 ? lastPositive : pick;
        return ids[pick];
    }

    /// <summary>
    /// One token per live row. The random stream advances once per result row (live or not, in row order), exactly as
    /// when finished rows were still decoded in the batch, so dropping them changes no draw.
    /// </summary>
    private static long[] Sample(Tensor lastLogits, SamplingOptions options, DeterministicRandom random, int[] live, int rows)
    {
        var batch = (int)lastLogits.shape[0];
        var chosen = new long[batch];
        if (options.Temperature == 0)
        {
            var greedy = lastLogits.argmax(-1).cpu().data<long>().ToArray();
            Array.Copy(greedy, chosen, batch);
            return chosen;
        }

        using var scope = NewDisposeScope();
        using var temperature = options.Temperature.ToScalar(); // held across the call that reads it (see HeldScalars)
        var probabilities = lastLogits.to(ScalarType.Float32).div(temperature).softmax(-1);
        var nucleus = SortedNucleus(probabilities, options.TopP);
        var row = 0;
        for (var b = 0; b < batch; b++)
        {
            // Draws of rows already dropped from the batch (between the previous live row and this one).
            for (; row < live[b]; row++)
            {
                random.NextDouble();
            }

            row++;
            chosen[b] = Draw(nucleus[b], random.NextDouble());
        }

        for (; row < rows; row++)
        {
            random.NextDouble();
        }

        return chosen;
    }
}
