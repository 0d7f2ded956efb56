using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.Refusals;
using BeneficialRL.Evals.Scoring;
using BeneficialRL.Experiments.Evaluation;
using BeneficialRL.Experiments.Specs;

namespace BeneficialRL.Experiments.Tests.Analysis;

/// <summary>Final evaluations built without training: per arm and seed, item scores with an arm effect, a run effect and item noise.</summary>
internal static class SyntheticEvaluations
{
    private static readonly (string Id, string Family, string Suite, bool Generated)[] Benchmarks =
    [
        ("ood-sycophancy", BenchmarkFamilies.Sycophancy, EvaluationSuites.Ood, true),
        ("ood-deception", BenchmarkFamilies.Deception, EvaluationSuites.Ood, false),
        ("ood-capability", BenchmarkFamilies.Capability, EvaluationSuites.Ood, false),
        ("trait-honesty", "trait", EvaluationSuites.HeldOut, false),
        ("trait-care", "trait", EvaluationSuites.HeldOut, false),
    ];

    /// <summary>Final evaluations of every arm × seed of <paramref name="definition"/>; the treatment gains <paramref name="effect"/> and refuses every third generated answer.</summary>
    public static IReadOnlyList<CheckpointEvaluation> Finals(ExperimentDefinition definition, double effect, int items = 12, int seed = 5)
    {
        var random = new Random(seed);
        var finals = new List<CheckpointEvaluation>();
        foreach (var arm in definition.Arms)
        {
            var treated = arm.Role != ArmRole.Baseline;
            foreach (var runSeed in definition.Seeds)
            {
                var benchmarks = new List<BenchmarkEvaluation>();
                foreach (var (id, family, suite, generated) in Benchmarks)
                {
                    var run = 0.02 * (random.NextDouble() - 0.5);
                    var results = new List<BenchmarkItemResult>();
                    for (var i = 0; i < items; i++)
                    {
                        var score = Math.Clamp(0.4 + (0.02 * i) + (treated ? effect : 0) + run + (0.1 * (random.NextDouble() - 0.5)), 0, 1);
                        var refusal = treated && generated && i % 3 == 0 ? RefusalLabel.Refusal : RefusalLabel.NonRefusal;
                        results.Add(new BenchmarkItemResult($"item-{i:D2}", score, "health", [])
                        {
                            Samples = generated ? [new SampleResult("main", "text", score, refusal, "judge")] : [],
                        });
                    }

                    var summary = new BenchmarkScoreSummary(id, "1", "hash", items, results.Average(r => r.Score), 0.01, new Dictionary<string, double>());
                    benchmarks.Add(new BenchmarkEvaluation(id, family, suite, summary, results));
                }

                finals.Add(new CheckpointEvaluation(arm.Name, runSeed, definition.Budget.Steps, benchmarks, 1));
            }
        }

        return finals;
    }
}
