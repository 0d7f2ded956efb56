using BeneficialRL.Learning.Chat;
using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Tokenization;
using BeneficialRL.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace BeneficialRL.Learning.Scoring;

/// <summary>
/// Batched log-likelihood of candidate completions given a context, for multiple-choice
/// benchmarks. Requests are sorted by length and packed into right-padded batches so padding
/// stays small; each candidate is scored in one forward pass.
/// </summary>
public sealed class LogLikelihoodScorer
{
    private readonly PolicyModel _model;
    private readonly ChatTemplate _template;
    private readonly int _maxBatchSize;

    /// <summary>Scores with <paramref name="model"/>, at most <paramref name="maxBatchSize"/> sequences per forward pass.</summary>
    public LogLikelihoodScorer(PolicyModel model, PolicyTokenizer tokenizer, int maxBatchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatchSize);
        _model = model;
        _template = new ChatTemplate(tokenizer);
        _maxBatchSize = maxBatchSize;
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
        var prepared = new List<(int Index, IReadOnlyList<int> Tokens, int TrainFrom)>(requests.Count);
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
            var tokens = context.Skip(context.Count - keep).Concat(candidate).ToList();
            prepared.Add((i, tokens, keep));
        }

        var wasTraining = _model.training;
        _model.eval();
        using var noGrad = torch.no_grad();
        foreach (var chunk in prepared.OrderBy(p => p.Tokens.Count).Chunk(_maxBatchSize))
        {
            using var scope = NewDisposeScope();
            using var batch = SequenceBatch.Create([.. chunk.Select(c => (c.Tokens, c.TrainFrom))], _template.Tokenizer.Special.Pad, _model.Device);
            var logits = _model.forward(batch.Inputs);
            var targetLogits = logits.gather(-1, batch.Targets.clamp_min(0).unsqueeze(-1)).squeeze(-1);
            var logProbs = (targetLogits - logits.logsumexp(-1)) * batch.LossMask;
            var sums = logProbs.sum(1).to(ScalarType.Float64).cpu().data<double>().ToArray();
            for (var k = 0; k < chunk.Length; k++)
            {
                results[chunk[k].Index] = new CandidateScore(sums[k], chunk[k].Tokens.Count - chunk[k].TrainFrom);
            }
        }

        if (wasTraining)
        {
            _model.train();
        }

        return results;
    }
}
