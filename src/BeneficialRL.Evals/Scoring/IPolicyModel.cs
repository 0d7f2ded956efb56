using BeneficialRL.Evals.Definitions;

namespace BeneficialRL.Evals.Scoring;

/// <summary>
/// What the benchmark runner needs from a policy. The learning engine's adapter implements it
/// (chat formatting, tokenisation and batching are the adapter's business).
/// </summary>
public interface IPolicyModel
{
    /// <summary>
    /// The natural-log probability, summed over tokens, and the token count of each candidate
    /// continuation given the context; one result per candidate, in order.
    /// </summary>
    Task<IReadOnlyList<CandidateLogLikelihood>> ScoreAsync(BenchmarkPrompt context, IReadOnlyList<string> candidates, CancellationToken cancellationToken);

    /// <summary>
    /// Scores several contexts' candidates in one call, results in request order. Models that batch across
    /// requests override it; the default scores them one at a time.
    /// </summary>
    async Task<IReadOnlyList<IReadOnlyList<CandidateLogLikelihood>>> ScoreManyAsync(IReadOnlyList<ChoiceScoringRequest> requests, CancellationToken cancellationToken)
    {
        var results = new List<IReadOnlyList<CandidateLogLikelihood>>(requests.Count);
        foreach (var request in requests) results.Add(await ScoreAsync(request.Context, request.Candidates, cancellationToken).ConfigureAwait(false));
        return results;
    }

    /// <summary><paramref name="samplesPerPrompt"/> sampled responses per prompt (seeded by <paramref name="settings"/>), one list per prompt, in order.</summary>
    Task<IReadOnlyList<IReadOnlyList<string>>> GenerateAsync(IReadOnlyList<BenchmarkPrompt> prompts, int samplesPerPrompt, GenerationSettings settings, CancellationToken cancellationToken);
}

/// <summary>One context and the candidate continuations to score after it.</summary>
public sealed record ChoiceScoringRequest(BenchmarkPrompt Context, IReadOnlyList<string> Candidates);
