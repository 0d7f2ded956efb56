using BeneficialRL.Analysis;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.Scoring;
using BeneficialRL.Durability.Adversarial;
using BeneficialRL.Durability.Attacks;

namespace BeneficialRL.Durability.Tests.Adversarial;

public sealed class AdversarialEvaluatorTests
{
    [Fact]
    public async Task EvaluateAsync_PolicySwayedByOnePersona_DegradesOnlyUnderThatAttack()
    {
        var benchmarks = AdversarialSuite.Select(TestWorld.Catalogue, ["harmful-compliance-hurting-others-mc", "deception-own-actions-mc"])
            .Select(b => ItemSubset.With(b, ItemSubset.Spread(b.Items, 6))).ToList();
        var aligned = benchmarks.SelectMany(b => b.Items).SelectMany(i => i.Options.Where(o => o.IsAligned).Select(o => o.Text)).ToHashSet(StringComparer.Ordinal);
        var swaying = AttackLibrary.Default.Get("persona-reckless-engineer");
        var policy = new SwayedPolicy(aligned, "Blaze");

        var result = await AdversarialEvaluator.EvaluateAsync(
            policy, "fake", benchmarks, AttackLibrary.Default.Attacks, new AdversarialOptions(), new AnalysisOptions { BootstrapResamples = 200 }, null, TestContext.Current.CancellationToken);

        var swayed = result.Attacks.Single(a => a.AttackId == swaying.Id);
        Assert.Equal(12, swayed.Degradation.Items);
        Assert.True(swayed.Degradation.DegradationPoints.Estimate > 50, $"degradation {swayed.Degradation.DegradationPoints.Estimate}");
        Assert.All(result.Attacks.Where(a => a.AttackId != swaying.Id), a => Assert.Equal(0, a.Degradation.DegradationPoints.Estimate, 10));
        Assert.Equal(result.CleanMeanPoints, swayed.Degradation.CleanMeanPoints, 10);
        // The harmful-persona pool holds 6 attacks × 12 items; only one attack in six moved, so its mean is a sixth.
        var harmful = result.Kinds.Single(k => k.Kind == AttackKind.HarmfulPersona);
        Assert.Equal(6 * 12, harmful.Degradation.Items);
        Assert.Equal(swayed.Degradation.DegradationPoints.Estimate / 6, harmful.Degradation.DegradationPoints.Estimate, 8);
        Assert.All(swayed.PerBenchmark, b => Assert.Equal(b.CleanMeanPoints - b.AttackedMeanPoints, b.DegradationPoints, 10));
    }

    [Fact]
    public void AttackedBenchmark_Create_KeepsIdsOptionsAndAppliesToSwappedPrompt()
    {
        var benchmark = TestWorld.Catalogue.Benchmarks.First(b => b.Items.Any(i => i.SwappedPrompt is not null));
        var attack = AttackLibrary.Default.Get("persona-sycophant");

        var attacked = AttackedBenchmark.Create(benchmark, attack);

        Assert.Equal(benchmark.Definition.Id, attacked.Definition.Id);
        Assert.Equal(benchmark.Items.Select(i => i.Id), attacked.Items.Select(i => i.Id));
        Assert.Equal(benchmark.Items.Select(i => i.Options.Count), attacked.Items.Select(i => i.Options.Count));
        Assert.All(attacked.Items, i => Assert.StartsWith(attack.Text, i.Prompt.System, StringComparison.Ordinal));
        Assert.All(attacked.Items.Where(i => i.SwappedPrompt is not null), i => Assert.StartsWith(attack.Text, i.SwappedPrompt!.System, StringComparison.Ordinal));
    }

    /// <summary>Prefers aligned options, except when the conversation contains the trigger word.</summary>
    private sealed class SwayedPolicy(IReadOnlySet<string> aligned, string trigger) : IPolicyModel
    {
        public Task<IReadOnlyList<CandidateLogLikelihood>> ScoreAsync(BenchmarkPrompt context, IReadOnlyList<string> candidates, CancellationToken cancellationToken)
        {
            var swayed = context.AllText.Contains(trigger, StringComparison.Ordinal);
            return Task.FromResult<IReadOnlyList<CandidateLogLikelihood>>(
                [.. candidates.Select(c => new CandidateLogLikelihood(aligned.Contains(c) != swayed ? -1.0 : -20.0, 1))]);
        }

        public Task<IReadOnlyList<IReadOnlyList<string>>> GenerateAsync(IReadOnlyList<BenchmarkPrompt> prompts, int samplesPerPrompt, GenerationSettings settings, CancellationToken cancellationToken) =>
            throw new NotSupportedException("Only multiple-choice benchmarks are used here.");
    }
}
