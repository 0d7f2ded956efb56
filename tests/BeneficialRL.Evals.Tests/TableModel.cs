using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.Scoring;

namespace BeneficialRL.Evals.Tests;

/// <summary>A policy with known log-probabilities (a table by candidate text) and scripted generations.</summary>
internal sealed class TableModel(IReadOnlyDictionary<string, CandidateLogLikelihood>? table = null, Func<BenchmarkPrompt, int, string>? generate = null) : IPolicyModel
{
    public int ScoreCalls { get; private set; }

    public List<int> GenerateBatchSizes { get; } = [];

    public Task<IReadOnlyList<CandidateLogLikelihood>> ScoreAsync(BenchmarkPrompt context, IReadOnlyList<string> candidates, CancellationToken cancellationToken)
    {
        ScoreCalls++;
        IReadOnlyList<CandidateLogLikelihood> scores = [.. candidates.Select(c => table!.TryGetValue(context.AllText + "|" + c, out var specific) ? specific : table[c])];
        return Task.FromResult(scores);
    }

    public Task<IReadOnlyList<IReadOnlyList<string>>> GenerateAsync(IReadOnlyList<BenchmarkPrompt> prompts, int samplesPerPrompt, GenerationSettings settings, CancellationToken cancellationToken)
    {
        GenerateBatchSizes.Add(prompts.Count);
        IReadOnlyList<IReadOnlyList<string>> result = [.. prompts.Select(p => (IReadOnlyList<string>)[.. Enumerable.Range(0, samplesPerPrompt).Select(k => generate!(p, k))])];
        return Task.FromResult(result);
    }
}
