using BeneficialRL.Learning.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace BeneficialRL.Learning.Scoring;

/// <summary>
/// The log-probability of every token of a sequence given the tokens before it (the first token has none), with the
/// <c>k</c> most likely alternatives at each position: what an OpenAI-style <c>echo</c> + <c>logprobs</c> request
/// returns. Sequences are right-padded into causal batches; the vocabulary projection is bounded per pass.
/// </summary>
public sealed class TokenLogProbScorer
{
    // Logit elements (rows × positions × vocabulary) materialised per forward pass.
    private const long MaxLogitElements = 32L << 20;

    private readonly PolicyModel _model;
    private readonly int _pad;

    /// <summary>Scores with <paramref name="model"/>, padding with <paramref name="padId"/>.</summary>
    public TokenLogProbScorer(PolicyModel model, int padId)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _pad = padId;
    }

    /// <summary>
    /// Per sequence, the log-probabilities of its tokens 1..n-1 and the top <paramref name="topK"/> alternatives at each,
    /// and the top max(<paramref name="topK"/>, 1) candidates for the token after it (a greedy one-token continuation
    /// costs no second pass).
    /// </summary>
    public IReadOnlyList<SequenceLogProbs> Score(IReadOnlyList<IReadOnlyList<int>> sequences, int topK)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfNegative(topK);
        var k = Math.Min(topK, _model.Config.VocabSize);
        var results = new SequenceLogProbs[sequences.Count];
        var order = Enumerable.Range(0, sequences.Count).OrderBy(i => sequences[i].Count).ToList();
        var pending = order.Where(i => sequences[i].Count >= 1).ToList();
        if (sequences.Any(s => s.Count == 0)) throw new ArgumentException("A sequence is empty.", nameof(sequences));
        if (sequences.Any(s => s.Count > _model.Config.MaxSequenceLength))
        {
            throw new ArgumentException($"A sequence is longer than MaxSequenceLength {_model.Config.MaxSequenceLength}.", nameof(sequences));
        }

        var wasTraining = _model.training;
        _model.eval();
        using (torch.no_grad())
        {
            var start = 0;
            while (start < pending.Count)
            {
                // Longest first within the remaining (sorted ascending), so the width is the chunk's last sequence.
                var rows = 1;
                while (start + rows < pending.Count && (long)(rows + 1) * sequences[pending[start + rows]].Count * _model.Config.VocabSize <= MaxLogitElements)
                {
                    rows++;
                }

                ScoreChunk(sequences, pending.GetRange(start, rows), k, results);
                start += rows;
            }
        }

        if (wasTraining)
        {
            _model.train();
        }

        return results;
    }

    private void ScoreChunk(IReadOnlyList<IReadOnlyList<int>> sequences, List<int> chunk, int k, SequenceLogProbs[] results)
    {
        using var scope = NewDisposeScope();
        var device = _model.Device;
        var width = chunk.Max(i => sequences[i].Count);
        var ids = new long[chunk.Count * width];
        for (var r = 0; r < chunk.Count; r++)
        {
            var sequence = sequences[chunk[r]];
            for (var j = 0; j < width; j++)
            {
                ids[(r * width) + j] = j < sequence.Count ? sequence[j] : _pad;
            }
        }

        // Right padding keeps the causal fast path: a real position never attends to padding after it.
        var input = tensor(ids, [chunk.Count, width], device: device);
        var hidden = _model.ForwardHidden(input);
        // Every position: position j predicts token j+1, and a sequence's last position the token after it.
        var logProbs = _model.ProjectToVocabulary(hidden).to(ScalarType.Float32).log_softmax(-1);
        var targets = cat([input.narrow(1, 1, width - 1), zeros([chunk.Count, 1], ScalarType.Int64, device: device)], 1);
        var chosen = logProbs.gather(2, targets.unsqueeze(-1)).squeeze(-1).cpu().data<float>().ToArray();
        var width1 = Math.Max(k, 1);
        var (values, indexes) = logProbs.topk(width1, dim: -1);
        var topValues = values.cpu().data<float>().ToArray();
        var topIds = indexes.cpu().data<long>().ToArray();
        TokenAlternative[] Top(int at, int count) =>
            [.. Enumerable.Range(0, count).Select(a => new TokenAlternative((int)topIds[(at * width1) + a], topValues[(at * width1) + a]))];

        for (var r = 0; r < chunk.Count; r++)
        {
            var count = sequences[chunk[r]].Count - 1;
            var tokenLogProbs = new float[count];
            var top = new TokenAlternative[count][];
            for (var j = 0; j < count; j++)
            {
                var at = (r * width) + j;
                tokenLogProbs[j] = chosen[at];
                top[j] = Top(at, k);
            }

            results[chunk[r]] = new SequenceLogProbs(tokenLogProbs, top) { Next = Top((r * width) + count, width1) };
        }
    }
}
