using BeneficialRL.Evals.BuiltIn;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.HeldOut;
using BeneficialRL.Scenarios.Grading;
using BeneficialRL.Scenarios.Taxonomy;

namespace BeneficialRL.Evals.Tests;

public sealed class BuiltInSuiteTests
{
    private static readonly Lazy<IReadOnlyList<Benchmark>> Suite = new(() => BuiltInSuite.Generate());

    [Fact]
    public void Generate_DefaultSeed_HasAtLeastFiftyBenchmarksOfAtLeastOneHundredItems()
    {
        Assert.True(Suite.Value.Count >= 50, $"{Suite.Value.Count} benchmarks");
        Assert.All(Suite.Value, b => Assert.True(b.Items.Count >= 100, $"{b.Definition.Id}: {b.Items.Count} items"));
        Assert.Equal(Suite.Value.Count, Suite.Value.Select(b => b.Definition.Id).Distinct().Count());
    }

    [Fact]
    public void Generate_DefaultSeed_CoversEveryFamilyAndFormat()
    {
        Assert.Empty(BenchmarkFamilies.Required.Except(Suite.Value.Select(b => b.Definition.Family)));
        Assert.Equal(Enum.GetValues<BenchmarkFormat>().Order(), Suite.Value.Select(b => b.Definition.Format).Distinct().Order());
        Assert.Contains(Suite.Value, b => b.Definition.Polarity == BenchmarkPolarity.PairConsistency && b.Definition.Format == BenchmarkFormat.McLogLik);
        Assert.Contains(Suite.Value, b => b.Definition.Polarity == BenchmarkPolarity.PairConsistency && b.Definition.Format == BenchmarkFormat.GenerateGrade);
    }

    [Fact]
    public void Generate_DefaultSeed_SpansDomainsNeverUsedInTraining()
    {
        var taxonomy = ScenarioTaxonomy.Default.DomainsById;
        var benchmarkOnly = BuiltInSuite.BenchmarkOnlyDomains;
        Assert.True(benchmarkOnly.Count >= 4);
        Assert.All(benchmarkOnly, d => Assert.False(taxonomy.ContainsKey(d)));
        var usedDomains = Suite.Value.SelectMany(b => b.Items.Select(i => i.Domain)).ToHashSet();
        Assert.Superset(benchmarkOnly.ToHashSet(), usedDomains);

        // A health-only training run never sees any domain but health.
        Assert.True(usedDomains.Count(d => d != "health") >= 10);
    }

    [Fact]
    public void Generate_SameSeed_IsDeterministicAndHashesMatchContent()
    {
        var again = BuiltInSuite.Generate();
        var other = BuiltInSuite.Generate(seed: 99);

        Assert.Equal(Suite.Value.Select(b => b.Definition.ContentHash), again.Select(b => b.Definition.ContentHash));
        Assert.All(Suite.Value, b => Assert.Equal(BenchmarkContentHash.Compute(b.Items), b.Definition.ContentHash));
        Assert.NotEqual(Suite.Value[0].Definition.ContentHash, other[0].Definition.ContentHash);
    }

    [Fact]
    public void Generate_Items_AreFilledEnglishWithValidOptions()
    {
        foreach (var benchmark in Suite.Value)
        {
            foreach (var item in benchmark.Items)
            {
                var text = item.Prompt.AllText + string.Concat(item.Options.Select(o => o.Text)) + item.SwappedPrompt?.AllText;
                Assert.DoesNotContain("{", text, StringComparison.Ordinal);
                if (benchmark.Definition.Format == BenchmarkFormat.McLogLik)
                {
                    Assert.Single(item.Options, o => o.IsAligned);
                    Assert.InRange(item.Options.Count, 2, 3);
                }

                if (benchmark.Definition.Format == BenchmarkFormat.MultiTurn)
                {
                    Assert.Equal(3, item.Prompt.Turns.Count);
                }
            }
        }
    }

    [Fact]
    public void Generate_RubricBenchmarks_BuiltInJudgePrefersTheAlignedReplyOfTheirMcTwin()
    {
        // Each generated benchmark that is "like" an MC one shares its aligned and misaligned replies: the judge must rank them the right way round.
        var judge = new BuiltInJudge();
        var byId = Suite.Value.ToDictionary(b => b.Definition.Id);
        var checkedPairs = 0;
        foreach (var generated in Suite.Value.Where(b => b.Definition.Format == BenchmarkFormat.GenerateGrade && b.Definition.Grader.Kind == GraderSpec.RubricKind && b.Definition.Polarity != BenchmarkPolarity.PairConsistency))
        {
            var twinId = generated.Definition.Id[..^"-gen".Length] + "-mc";
            if (!byId.TryGetValue(twinId, out var twin))
            {
                continue;
            }

            double aligned = 0, misaligned = 0;
            foreach (var (gen, mc) in generated.Items.Zip(twin.Items).Take(40))
            {
                aligned += judge.Grade(new GradingRequest(mc.Options.First(o => o.IsAligned).Text) { Rubric = gen.Rubric }).Score;
                misaligned += judge.Grade(new GradingRequest(mc.Options.First(o => !o.IsAligned).Text) { Rubric = gen.Rubric }).Score;
            }

            Assert.True(aligned > misaligned, $"{generated.Definition.Id}: aligned {aligned / 40:F2} vs misaligned {misaligned / 40:F2}");
            checkedPairs++;
        }

        Assert.True(checkedPairs >= 6, $"{checkedPairs} pairs checked");
    }

    [Fact]
    public void HeldOutTraitSuite_Default_HasSevenRubricGradedBenchmarks()
    {
        var suite = HeldOutTraitSuite.Generate();

        Assert.Equal(7, suite.Count);
        Assert.Equal(ScenarioTaxonomy.Default.HeldOutTraits.Select(t => t.Id).Order(), suite.Select(b => b.Definition.Traits[0]).Order());
        Assert.All(suite, b => Assert.True(b.Items.Count >= 100, $"{b.Definition.Id}: {b.Items.Count}"));
        Assert.All(suite, b => Assert.Equal(GraderSpec.RubricKind, b.Definition.Grader.Kind));
        Assert.All(suite.SelectMany(b => b.Items), i => Assert.InRange(i.Rubric.Count, 3, 4));
        Assert.All(suite, b => Assert.Equal(BenchmarkFamilies.HeldOutTraits, b.Definition.Family));
    }

    [Fact]
    public void Catalogue_All_LooksUpByIdAndRejectsDuplicates()
    {
        var catalogue = BenchmarkSuites.All();

        Assert.Equal(Suite.Value.Count + 7, catalogue.Benchmarks.Count);
        Assert.Equal("sycophancy", catalogue.Get("sycophancy-flattery-seeking-mc").Definition.Family);
        Assert.False(catalogue.TryGet("nope", out _));
        Assert.Throws<KeyNotFoundException>(() => catalogue.Get("nope"));
        Assert.Throws<ArgumentException>(() => catalogue.Add(catalogue.Benchmarks[0]));
    }
}
