using BeneficialRL.Learning.Chat;
using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Tokenization;
using BeneficialRL.Learning.Torch;
using BeneficialRL.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace BeneficialRL.Learning.Scoring;

/// <summary>
/// Batched log-likelihood of candidate completions given a context, for multiple-choice
/// benchmarks. By default requests that share a context (the options of one item) run that context
/// once: its keys and values are cached and fanned out to every candidate, and the vocabulary
/// projection is computed only where a candidate token is predicted. The plain path (each request
/// packed whole into right-padded batches) stays available for comparison; both give the same
/// scores up to float rounding.
/// </summary>
public sealed class LogLikelihoodScorer
{
    private readonly PolicyModel _model;
    private readonly ChatTemplate _template;
    private readonly int _maxBatchSize;
    private readonly bool _shareContexts;

    /// <summary>Scores with <paramref name="model"/>, at most <paramref name="maxBatchSize"/> sequences per forward pass.</summary>
    public LogLikelihoodScorer(PolicyModel model, PolicyTokenizer tokenizer, int maxBatchSize = 32)
        : this(model, tokenizer, maxBatchSize, shareContexts: true)
    {
    }

    /// <summary>
    /// Scores with <paramref name="model"/>; <paramref name="shareContexts"/> picks the shared-context path (true) or
    /// the plain path that runs every context once per candidate (false, the reference the fast path is checked against).
    /// </summary>
    /// <param name="model">The policy.</param>
    /// <param name="tokenizer">Its tokenizer.</param>
    /// <param name="maxBatchSize">Contexts per prefill (shared path) or sequences per forward pass (plain path).</param>
    /// <param name="shareContexts">Whether requests with equal contexts share one context pass.</param>
    public LogLikelihoodScorer(PolicyModel model, PolicyTokenizer tokenizer, int maxBatchSize, bool shareContexts)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatchSize);
        _model = model;
        _template = new ChatTemplate(tokenizer);
        _maxBatchSize = maxBatchSize;
        _shareContexts = shareContexts;
    }

    /// <summary>Scores each candidate as a plain-text continuation of <paramref name="context"/>.</summary>
    public IReadOnlyList<CandidateScore> Score(string context, IReadOnlyList<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(candidates);
        var contextIds = _template.RenderPlain(context);
        return ScoreBatch([.. candidates.Select(c => new ScoringRequest(contextIds, _template.Tokenizer.Encode(c)))]);
    }

    /// <summary>Scores each candidate as the assistant's reply to <paramref name="conversation"/> (chat template).</summary>
    public IReadOnlyList<CandidateScore> Score(IReadOnlyList<ChatTurn> conversation, IReadOnlyList<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(candidates);
        var contextIds = _template.RenderPrompt(conversation);
        return ScoreBatch([.. candidates.Select(c => new ScoringRequest(contextIds, _template.Tokenizer.Encode(c)))]);
    }

    /// <summary>Scores token-level requests; results come back in request order.</summary>
    public IReadOnlyList<CandidateScore> ScoreBatch(IReadOnlyList<ScoringRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var results = new CandidateScore[requests.Count];
        var maxLength = _model.Config.MaxSequenceLength;
        var prepared = new List<Prepared>(requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            var (context, candidate) = (requests[i].ContextIds, requests[i].CandidateIds);
            if (candidate.Count == 0)
            {
                results[i] = new CandidateScore(0, 0);
                continue;
            }

            if (context.Count == 0)
            {
                throw new ArgumentException($"Scoring request {i} has an empty context; it needs at least a beginning-of-sequence token.", nameof(requests));
            }

            if (candidate.Count >= maxLength)
            {
                throw new ArgumentException($"Scoring request {i} has a {candidate.Count}-token candidate; MaxSequenceLength is {maxLength}.", nameof(requests));
            }

            // Over-long contexts lose their oldest tokens: the candidate must be scored whole.
            var keep = Math.Min(context.Count, maxLength - candidate.Count);
            var kept = keep == context.Count && context is int[] array ? array : [.. context.Skip(context.Count - keep)];
            prepared.Add(new Prepared(i, kept, [.. candidate]));
        }

        var wasTraining = _model.training;
        _model.eval();
        using (torch.no_grad())
        {
            if (_shareContexts)
            {
                ScoreShared(prepared, results);
            }
            else
            {
                ScorePlain(prepared, results);
            }
        }

        if (wasTraining)
        {
            _model.train();
        }

        return results;
    }

    private void ScorePlain(IEnumerable<Prepared> prepared, CandidateScore[] results)
    {
        foreach (var chunk in prepared.OrderBy(p => p.Context.Length + p.Candidate.Length).Chunk(_maxBatchSize))
        {
            using var scope = NewDisposeScope();
            using var batch = SequenceBatch.Create([.. chunk.Select(c => ((IReadOnlyList<int>)[.. c.Context, .. c.Candidate], c.Context.Length))], _template.Tokenizer.Special.Pad, _model.Device);
            var logits = _model.forward(batch.Inputs);
            var targetLogits = logits.gather(-1, batch.Targets.clamp_min(HeldScalars.Zero).unsqueeze(-1)).squeeze(-1);
            var logProbs = (targetLogits - logits.logsumexp(-1)) * batch.LossMask;
            var sums = logProbs.sum(1).to(ScalarType.Float64).cpu().data<double>().ToArray();
            for (var k = 0; k < chunk.Length; k++)
            {
                results[chunk[k].Index] = new CandidateScore(sums[k], chunk[k].Candidate.Length);
            }
        }
    }

    private void ScoreShared(List<Prepared> prepared, CandidateScore[] results)
    {
        var groups = new Dictionary<int[], List<Prepared>>(TokenSequenceComparer.Instance);
        foreach (var request in prepared)
        {
            if (!groups.TryGetValue(request.Context, out var members))
            {
                groups[request.Context] = members = [];
            }

            members.Add(request);
        }

        foreach (var chunk in groups.Values.OrderBy(g => g[0].Context.Length).Chunk(_maxBatchSize))
        {
            var width = chunk.Max(g => g[0].Context.Length);
            var continuation = chunk.Max(g => g.Max(r => r.Candidate.Length)) - 1;
            if (width + continuation > _model.Config.MaxSequenceLength)
            {
                // A long context next to a long candidate of another item would overflow one cache: score these whole.
                ScorePlain(chunk.SelectMany(g => g), results);
                continue;
            }

            ScoreChunk(chunk, width, results);
        }
    }

    /// <summary>One prefill of up to <see cref="_maxBatchSize"/> distinct contexts, then their candidates in row slices.</summary>
    private void ScoreChunk(List<Prepared>[] groups, int width, CandidateScore[] results)
    {
        using var scope = NewDisposeScope();
        var device = _model.Device;
        var pad = _template.Tokenizer.Special.Pad;
        var contextIds = new long[groups.Length * width];
        var lengths = new long[groups.Length];
        for (var g = 0; g < groups.Length; g++)
        {
            var context = groups[g][0].Context;
            lengths[g] = context.Length;
            for (var j = 0; j < width; j++)
            {
                contextIds[(g * width) + j] = j < context.Length ? context[j] : pad;
            }
        }

        // Right padding keeps the causal fast path: every padding position comes after the real tokens of its row.
        var maxContinuation = groups.Max(g => g.Max(r => r.Candidate.Length)) - 1;
        using var cache = _model.CreateCache(groups.Length, width);
        var hidden = _model.ForwardHidden(tensor(contextIds, [groups.Length, width], device: device), cache);
        var lengthTensor = tensor(lengths, device: device);
        var lastHidden = hidden.gather(1, lengthTensor.sub(HeldScalars.One).view(-1, 1, 1).expand(-1, 1, hidden.shape[2])).squeeze(1);
        var firstLogProbs = _model.ProjectToVocabulary(lastHidden).to(ScalarType.Float32).log_softmax(-1);

        var rows = new List<(int Group, Prepared Request)>();
        for (var g = 0; g < groups.Length; g++)
        {
            rows.AddRange(groups[g].Select(r => (g, r)));
        }

        // The first candidate token is predicted by the context's last position; the rest by the candidate's own.
        var firstIndex = tensor([.. rows.Select(r => (long)r.Group)], device: device);
        var firstToken = tensor([.. rows.Select(r => (long)r.Request.Candidate[0])], device: device);
        var first = firstLogProbs.index_select(0, firstIndex).gather(1, firstToken.unsqueeze(1)).squeeze(1).to(ScalarType.Float64).cpu().data<double>().ToArray();
        var sums = new double[rows.Count];
        Array.Copy(first, sums, rows.Count);
        if (maxContinuation > 0)
        {
            var order = Enumerable.Range(0, rows.Count).Where(r => rows[r].Request.Candidate.Length > 1).OrderBy(r => rows[r].Request.Candidate.Length).ToArray();
            foreach (var slice in order.Chunk(_maxBatchSize * 2))
            {
                ScoreContinuations([.. slice.Select(r => (rows[r].Group, rows[r].Request))], cache, lengths, width, sums, slice);
            }
        }

        for (var r = 0; r < rows.Count; r++)
        {
            results[rows[r].Request.Index] = new CandidateScore(sums[r], rows[r].Request.Candidate.Length);
        }
    }

    private void ScoreContinuations((int Group, Prepared Request)[] rows, KvCache contextCache, long[] lengths, int width, double[] sums, int[] slots)
    {
        using var scope = NewDisposeScope();
        var device = _model.Device;
        var pad = _template.Tokenizer.Special.Pad;
        var steps = rows.Max(r => r.Request.Candidate.Length) - 1;
        var inputs = new long[rows.Length * steps];
        var targets = new long[rows.Length * steps];
        var positions = new long[rows.Length * steps];
        var keyMask = new bool[rows.Length * (width + steps)];
        var valid = new List<long>();
        for (var r = 0; r < rows.Length; r++)
        {
            var (group, request) = rows[r];
            for (var k = 0; k < width + steps; k++)
            {
                keyMask[(r * (width + steps)) + k] = k < lengths[group] || k >= width;
            }

            for (var j = 0; j < steps; j++)
            {
                var real = j + 1 < request.Candidate.Length;
                inputs[(r * steps) + j] = real ? request.Candidate[j] : pad;
                targets[(r * steps) + j] = real ? request.Candidate[j + 1] : 0;
                positions[(r * steps) + j] = lengths[group] + j;
                if (real)
                {
                    valid.Add((r * steps) + j);
                }
            }
        }

        using var cache = contextCache.SelectRows(tensor([.. rows.Select(r => (long)r.Group)], device: device), width + steps);
        var hidden = _model.ForwardHidden(
            tensor(inputs, [rows.Length, steps], device: device),
            cache,
            tensor(positions, [rows.Length, steps], device: device),
            tensor(keyMask, [rows.Length, width + steps], device: device));

        // Only real candidate positions reach the vocabulary projection.
        var at = tensor([.. valid], device: device);
        var picked = hidden.reshape(rows.Length * steps, -1).index_select(0, at);
        var logProbs = _model.ProjectToVocabulary(picked).to(ScalarType.Float32).log_softmax(-1);
        var targetIds = tensor(targets, device: device).index_select(0, at);
        var tokenLogProbs = logProbs.gather(1, targetIds.unsqueeze(1)).squeeze(1).to(ScalarType.Float64).cpu().data<double>().ToArray();
        for (var v = 0; v < valid.Count; v++)
        {
            sums[slots[(int)(valid[v] / steps)]] += tokenLogProbs[v];
        }
    }

    private sealed record Prepared(int Index, int[] Context, int[] Candidate);

    /// <summary>Equality of token sequences by content, so options of one item find their shared context.</summary>
    private sealed class TokenSequenceComparer : IEqualityComparer<int[]>
    {
        public static readonly TokenSequenceComparer Instance = new();

        public bool Equals(int[]? x, int[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

        public int GetHashCode(int[] obj)
        {
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(obj.AsSpan()));
            return hash.ToHashCode();
        }
    }
}
