using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.Scoring;
using BeneficialRL.Learning.Chat;
using BeneficialRL.Learning.Generation;
using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Scoring;
using BeneficialRL.Learning.Tokenization;
using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Evaluation.Policies;

/// <summary>
/// A learning-engine policy seen through the benchmark runner's <see cref="IPolicyModel"/>: prompts are
/// rendered with the policy's own chat template, candidates scored in batched forward passes, and
/// samples drawn with the KV-cached generator. Work runs synchronously on the calling thread, which
/// the caller dedicates to it (TorchSharp's dispose scopes are thread-bound).
/// </summary>
/// <param name="model">The policy.</param>
/// <param name="tokenizer">Its tokenizer.</param>
/// <param name="maxBatchSize">Contexts per scoring pass and prompts per generation batch.</param>
/// <param name="sharePrefixes">
/// Run shared work once (default): an item's context once for all its options, a prompt's prefill once for all its
/// samples (drawn together in one batch), and drop finished rows while decoding. False runs the plain paths (every
/// option scored whole; the k samples drawn in k passes over the prompts), kept to measure the difference.
/// </param>
public sealed class LearningPolicyModel(PolicyModel model, PolicyTokenizer tokenizer, int maxBatchSize = 32, bool sharePrefixes = true) : IPolicyModel
{
    private readonly LogLikelihoodScorer _scorer = new(model, tokenizer, maxBatchSize, sharePrefixes);
    private readonly TextGenerator _generator = new(model, tokenizer);
    private readonly ChatTemplate _template = new(tokenizer);

    /// <inheritdoc />
    public Task<IReadOnlyList<CandidateLogLikelihood>> ScoreAsync(BenchmarkPrompt context, IReadOnlyList<string> candidates, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var scores = _scorer.Score(ToChat(context), candidates);
        return Task.FromResult<IReadOnlyList<CandidateLogLikelihood>>(scores.Select(s => new CandidateLogLikelihood(s.SumLogProb, s.TokenCount)).ToList());
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<IReadOnlyList<CandidateLogLikelihood>>> ScoreManyAsync(IReadOnlyList<Evals.Scoring.ChoiceScoringRequest> requests, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Every candidate of every request in one token-level batch: the scorer sorts them by length and packs full forward passes.
        var flat = new List<Learning.Scoring.ScoringRequest>();
        foreach (var request in requests)
        {
            var context = _template.RenderPrompt(ToChat(request.Context));
            flat.AddRange(request.Candidates.Select(c => new Learning.Scoring.ScoringRequest(context, tokenizer.Encode(c))));
        }

        var scores = _scorer.ScoreBatch(flat);
        var results = new List<IReadOnlyList<CandidateLogLikelihood>>(requests.Count);
        var next = 0;
        foreach (var request in requests)
        {
            results.Add(scores.Skip(next).Take(request.Candidates.Count).Select(s => new CandidateLogLikelihood(s.SumLogProb, s.TokenCount)).ToList());
            next += request.Candidates.Count;
        }

        return Task.FromResult<IReadOnlyList<IReadOnlyList<CandidateLogLikelihood>>>(results);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<IReadOnlyList<string>>> GenerateAsync(IReadOnlyList<BenchmarkPrompt> prompts, int samplesPerPrompt, GenerationSettings settings, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samplesPerPrompt);
        var conversations = prompts.Select(ToChat).ToList();
        var samples = prompts.Select(_ => new List<string>(samplesPerPrompt)).ToList();
        if (sharePrefixes)
        {
            // All k samples of a prompt in one batch from one prefill.
            for (var start = 0; start < conversations.Count; start += maxBatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = conversations.Skip(start).Take(maxBatchSize).ToList();
                var results = _generator.GenerateChat(batch, Sampling(settings, settings.Seed + start, dropFinishedRows: true), samplesPerPrompt);
                for (var i = 0; i < results.Count; i++) samples[start + (i / samplesPerPrompt)].Add(results[i].Text);
            }
        }
        else
        {
            for (var k = 0; k < samplesPerPrompt; k++)
            {
                for (var start = 0; start < conversations.Count; start += maxBatchSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var batch = conversations.Skip(start).Take(maxBatchSize).ToList();

                    // A distinct, reproducible stream per sample index and batch.
                    var results = _generator.GenerateChat(batch, Sampling(settings, settings.Seed + (k * 1_000_003L) + start, dropFinishedRows: false));
                    for (var i = 0; i < results.Count; i++) samples[start + i].Add(results[i].Text);
                }
            }
        }

        return Task.FromResult<IReadOnlyList<IReadOnlyList<string>>>(samples);
    }

    private static SamplingOptions Sampling(GenerationSettings settings, long seed, bool dropFinishedRows) => new()
    {
        Temperature = settings.Temperature,
        TopP = settings.TopP,
        MaxNewTokens = settings.MaxNewTokens,
        Seed = seed,
        DropFinishedRows = dropFinishedRows,
    };

    /// <summary>The chat turns of a benchmark prompt, system first.</summary>
    public static IReadOnlyList<ChatTurn> ToChat(BenchmarkPrompt prompt)
    {
        var turns = new List<ChatTurn>(prompt.Turns.Count + 1);
        if (!string.IsNullOrWhiteSpace(prompt.System)) turns.Add(ChatTurn.System(prompt.System));
        turns.AddRange(prompt.Turns.Select(t => t.Role switch
        {
            TurnRole.System => ChatTurn.System(t.Content),
            TurnRole.User => ChatTurn.User(t.Content),
            TurnRole.Assistant => ChatTurn.Assistant(t.Content),
            _ => throw new ArgumentOutOfRangeException(nameof(prompt), t.Role, "Unknown turn role."),
        }));
        return turns;
    }
}
