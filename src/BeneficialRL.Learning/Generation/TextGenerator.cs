using BeneficialRL.Learning.Chat;
using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Tokenization;
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

    /// <summary>Runs <see cref="GenerateChat"/> on a worker thread.</summary>
    public Task<IReadOnlyList<GenerationResult>> GenerateChatAsync(IReadOnlyList<IReadOnlyList<ChatTurn>> conversations, SamplingOptions options, CancellationToken cancellationToken = default) =>
        Task.Run(() => GenerateChat(conversations, options), cancellationToken);

    /// <summary>Completes prompts given as token ids.</summary>
    public IReadOnlyList<GenerationResult> GenerateFromTokens(IReadOnlyList<IReadOnlyList<int>> prompts, SamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (prompts.Count == 0)
        {
            return [];
        }

        if (prompts.Any(p => p.Count == 0))
        {
            throw new ArgumentException("Every prompt needs at least one token.", nameof(prompts));
        }

        var batch = prompts.Count;
        var promptWidth = prompts.Max(p => p.Count);
        var maxNew = Math.Min(options.MaxNewTokens, _model.Config.MaxSequenceLength - promptWidth);
        if (maxNew < 1)
        {
            throw new ArgumentException($"A prompt of {promptWidth} tokens leaves no room to generate within MaxSequenceLength {_model.Config.MaxSequenceLength}.", nameof(prompts));
        }

        var random = new DeterministicRandom(options.Seed);
        var generated = Enumerable.Range(0, batch).Select(_ => new List<int>()).ToArray();
        var logProbs = Enumerable.Range(0, batch).Select(_ => new List<float>()).ToArray();
        var finish = new FinishReason?[batch];
        var texts = new string?[batch];
        var ragged = prompts.Any(p => p.Count != promptWidth);
        var device = _model.Device;

        var wasTraining = _model.training;
        _model.eval();
        using var noGrad = torch.no_grad();
        using var outer = NewDisposeScope();
        var padded = new long[batch * promptWidth];
        var valid = new bool[batch * promptWidth];
        for (var b = 0; b < batch; b++)
        {
            var offset = promptWidth - prompts[b].Count;
            for (var j = 0; j < promptWidth; j++)
            {
                padded[(b * promptWidth) + j] = j < offset ? _tokenizer.Special.Pad : prompts[b][j - offset];
                valid[(b * promptWidth) + j] = j >= offset;
            }
        }

        var sequence = tensor(padded, [batch, promptWidth], device: device);
        Tensor? keyMask = ragged ? tensor(valid, [batch, promptWidth], device: device) : null;
        Tensor? positions = keyMask is null ? null : (keyMask.to(ScalarType.Int64).cumsum(1) - 1).clamp_min(0);
        using var cache = options.UseKvCache ? _model.CreateCache(batch, promptWidth + maxNew) : null;
        var input = sequence;
        var inputPositions = positions;
        for (var step = 0; step < maxNew; step++)
        {
            using var scope = NewDisposeScope();
            var logits = _model.Forward(input, cache, inputPositions, keyMask);
            var last = logits.select(1, -1);
            var chosen = Sample(last, options, random);
            using var chosenTensor = tensor(chosen, [batch, 1], device: device);
            var chosenLogProbs = last.log_softmax(-1).gather(1, chosenTensor).cpu().data<float>().ToArray();
            for (var b = 0; b < batch; b++)
            {
                if (finish[b] is not null)
                {
                    continue;
                }

                generated[b].Add((int)chosen[b]);
                logProbs[b].Add(chosenLogProbs[b]);
                if (chosen[b] == _tokenizer.Special.Eos && options.StopAtEndOfTurn)
                {
                    finish[b] = FinishReason.EndOfTurn;
                }
                else if (options.StopSequences.Count > 0)
                {
                    var text = _tokenizer.Decode(generated[b]);
                    var cut = FirstStop(text, options.StopSequences);
                    if (cut >= 0)
                    {
                        finish[b] = FinishReason.StopSequence;
                        texts[b] = text[..cut];
                    }
                }
            }

            if (finish.All(f => f is not null) || step == maxNew - 1)
            {
                break;
            }

            // Rows that finished keep decoding padding so the batch stays rectangular; their output is ignored.
            var nextIds = tensor(chosen.Select((id, b) => finish[b] is null ? id : _tokenizer.Special.Pad).ToArray(), [batch, 1], device: device);
            Tensor? nextPositions = inputPositions is null ? null : inputPositions.select(1, -1).unsqueeze(1) + 1;
            if (keyMask is not null)
            {
                keyMask = cat([keyMask, ones([batch, 1], ScalarType.Bool, device: device)], 1).MoveToOuterDisposeScope();
            }

            if (options.UseKvCache)
            {
                input = nextIds.MoveToOuterDisposeScope();
                inputPositions = nextPositions?.MoveToOuterDisposeScope();
            }
            else
            {
                input = cat([input, nextIds], 1).MoveToOuterDisposeScope();
                inputPositions = inputPositions is null ? null : cat([inputPositions, nextPositions!], 1).MoveToOuterDisposeScope();
            }
        }

        if (wasTraining)
        {
            _model.train();
        }

        return [.. Enumerable.Range(0, batch).Select(b => new GenerationResult(
            texts[b] ?? _tokenizer.Decode(generated[b]),
            generated[b],
            logProbs[b],
            finish[b] ?? FinishReason.Length))];
    }

    private static int FirstStop(string text, IReadOnlyList<string> stops)
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

    private static long[] Sample(Tensor lastLogits, SamplingOptions options, DeterministicRandom random)
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
        var probabilities = (lastLogits.to(ScalarType.Float32) / options.Temperature).softmax(-1);
        var (sorted, indices) = probabilities.sort(-1, descending: true);
        if (options.TopP < 1)
        {
            // Keep the smallest prefix whose mass reaches TopP: drop a token when the mass before it already does.
            var before = sorted.cumsum(-1) - sorted;
            sorted = sorted.masked_fill(before.ge(options.TopP), 0);
        }

        var vocab = (int)sorted.shape[1];
        var mass = sorted.cpu().data<float>().ToArray();
        var ids = indices.cpu().data<long>().ToArray();
        for (var b = 0; b < batch; b++)
        {
            double total = 0;
            for (var v = 0; v < vocab; v++)
            {
                total += mass[(b * vocab) + v];
            }

            var target = random.NextDouble() * total;
            double running = 0;
            var pick = -1;
            var lastPositive = 0;
            for (var v = 0; v < vocab && pick < 0; v++)
            {
                var p = mass[(b * vocab) + v];
                running += p;
                lastPositive = p > 0 ? v : lastPositive;
                pick = running > target ? v : -1;
            }

            // Rounding can leave the draw just above the summed mass; the last candidate then takes it.
            pick = pick < 0 ? lastPositive : pick;

            chosen[b] = ids[(b * vocab) + pick];
        }

        return chosen;
    }
}
