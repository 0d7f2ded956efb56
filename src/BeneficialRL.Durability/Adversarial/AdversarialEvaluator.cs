using System.Diagnostics;
using BeneficialRL.Analysis;
using BeneficialRL.Analysis.Items;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.Scoring;
using BeneficialRL.Durability.Attacks;
using BeneficialRL.Durability.Running;

namespace BeneficialRL.Durability.Adversarial;

/// <summary>
/// Runs benchmarks clean and under each attack on one policy and summarises the degradation per attack and per
/// attack kind. Items are the same under every condition, so each attacked score pairs with its clean score.
/// </summary>
public static class AdversarialEvaluator
{
    /// <summary>Joins a condition and an item id while all conditions run as one benchmark (condition names never contain it).</summary>
    private const string Separator = "|";

    /// <summary>Evaluates <paramref name="policy"/>.</summary>
    /// <param name="policy">The policy (a <c>LearningPolicyModel</c> works synchronously on the calling thread).</param>
    /// <param name="subject">Name for the result.</param>
    /// <param name="benchmarks">Benchmarks to attack, already cut to the items wanted (see <see cref="AdversarialSuite"/>, <see cref="ItemSubset"/>).</param>
    /// <param name="attacks">Attacks to apply.</param>
    /// <param name="options">Runner sizes and sampling.</param>
    /// <param name="analysis">Bootstrap settings.</param>
    /// <param name="progress">One report per benchmark (all conditions of a benchmark run together).</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    public static async Task<SubjectAdversarialResult> EvaluateAsync(
        IPolicyModel policy,
        string subject,
        IReadOnlyList<Benchmark> benchmarks,
        IReadOnlyList<PromptAttack> attacks,
        AdversarialOptions options,
        AnalysisOptions analysis,
        IProgress<PersistenceProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(benchmarks);
        ArgumentNullException.ThrowIfNull(attacks);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(analysis);
        if (benchmarks.Count == 0 || attacks.Count == 0)
        {
            throw new ArgumentException($"Adversarial evaluation needs at least one benchmark and one attack (got {benchmarks.Count} and {attacks.Count}).");
        }

        var clock = Stopwatch.StartNew();
        var runner = new BenchmarkRunner(policy, options.ToRunOptions());
        var scores = new List<ConditionScores>(benchmarks.Count * (attacks.Count + 1));
        var conditions = new[] { ConditionScores.Clean }.Concat(attacks.Select(a => a.Id)).ToList();
        for (var b = 0; b < benchmarks.Count; b++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var benchmark = benchmarks[b];
            var definition = benchmark.Definition;
            // Every condition's copy of the items in one run, so the policy packs full batches instead of one small batch per attack.
            var combined = new Benchmark(definition, [.. conditions.SelectMany(c => Condition(benchmark, c, attacks).Items.Select(i => i with { Id = c + Separator + i.Id }))]);
            var run = await runner.RunAsync(combined, null, cancellationToken).ConfigureAwait(false);
            foreach (var condition in conditions)
            {
                var prefix = condition + Separator;
                var items = run.Items
                    .Where(i => i.ItemId.StartsWith(prefix, StringComparison.Ordinal))
                    .Select(i => new ItemScore(definition.Id, i.ItemId[prefix.Length..], i.Score, Domain: i.Domain))
                    .ToList();
                scores.Add(new ConditionScores(definition.Id, definition.Family, condition, items));
            }

            var clean = scores[^conditions.Count].Items.Average(i => i.Score);
            var attacked = scores.TakeLast(attacks.Count).SelectMany(s => s.Items).Average(i => i.Score);
            progress?.Report(new PersistenceProgress(PersistenceProgress.Adversarial, subject, b + 1, benchmarks.Count, $"{subject}: {definition.Id} clean {clean:0.000}, attacked {attacked:0.000} over {attacks.Count} attacks"));
        }

        var partial = new SubjectAdversarialResult(subject, 0, [], [], scores, 0);
        var outcomes = attacks.Select(a => Outcome(partial, a, analysis)).ToList();
        var kinds = attacks.GroupBy(a => a.Kind).OrderBy(g => g.Key)
            .Select(g => new KindOutcome(g.Key, [.. g.Select(a => a.Id)], PairedDegradation.Of(partial.ArmFor(g.Select(a => a.Id).ToList()), $"{subject}/{g.Key}", analysis)))
            .ToList();
        var cleanMean = scores.Where(s => s.Condition == ConditionScores.Clean).SelectMany(s => s.Items).Average(i => i.Score) * analysis.PointsPerUnit;
        return partial with { CleanMeanPoints = cleanMean, Attacks = outcomes, Kinds = kinds, WallSeconds = clock.Elapsed.TotalSeconds };
    }

    private static Benchmark Condition(Benchmark benchmark, string condition, IReadOnlyList<PromptAttack> attacks) =>
        condition == ConditionScores.Clean ? benchmark : AttackedBenchmark.Create(benchmark, attacks.First(a => a.Id == condition));

    private static AttackOutcome Outcome(SubjectAdversarialResult result, PromptAttack attack, AnalysisOptions analysis)
    {
        var perBenchmark = result.Scores.Where(s => s.Condition == attack.Id).Select(s =>
        {
            var clean = result.Scores.First(c => c.Condition == ConditionScores.Clean && c.BenchmarkId == s.BenchmarkId);
            var cleanMean = clean.Items.Average(i => i.Score) * analysis.PointsPerUnit;
            var attackedMean = s.Items.Average(i => i.Score) * analysis.PointsPerUnit;
            return new BenchmarkAttackOutcome(s.BenchmarkId, cleanMean, attackedMean, cleanMean - attackedMean);
        }).ToList();
        return new AttackOutcome(attack.Id, attack.Kind, PairedDegradation.Of(result.ArmFor(attack.Id), $"{result.Subject}/{attack.Id}", analysis), perBenchmark);
    }
}
