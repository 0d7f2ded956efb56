using BeneficialRL.Analysis.SeedLevel;
using BeneficialRL.Experiments.Analysis;
using BeneficialRL.Experiments.Specs;

namespace BeneficialRL.Experiments.Tests.Analysis;

public sealed class AnalysisStageSeedLevelTests
{
    [Fact]
    public void Analyze_ThreeSeeds_PrimaryEndpointsAreSeedLevelAndCapabilityIsSeparate()
    {
        var definition = TestDefinitions.SubQuick() with { Seeds = [11, 12, 13] };

        var analysis = AnalysisStage.Analyze(definition, SyntheticEvaluations.Finals(definition, effect: 0.05), [], []);

        var comparison = Assert.Single(analysis.Comparisons);
        var ood = comparison.OodSeedLevel!;
        Assert.Equal(["ood-deception", "ood-sycophancy"], ood.Benchmarks.Select(b => b.Name));
        Assert.Equal(["ood-deception", "ood-sycophancy"], comparison.Ood!.Benchmarks.Select(b => b.BenchmarkId));
        Assert.Equal(AnalysisStage.OodEndpoint, ood.Endpoint.Name);
        Assert.Equal(3, ood.SeedPairs);
        Assert.False(ood.ConditionalOnRuns);
        Assert.Equal(2, ood.Endpoint.SeedLevelTest!.DegreesOfFreedom);
        Assert.NotNull(ood.MeanPower);
        Assert.Equal(["trait-care", "trait-honesty"], comparison.HeldOutSeedLevel!.Benchmarks.Select(b => b.Name));
        Assert.Equal(AnalysisStage.HeldOutEndpoint, comparison.HeldOutSeedLevel.Endpoint.Name);
        Assert.Equal(["ood-capability"], comparison.Capability!.Benchmarks.Select(b => b.Name));
        Assert.InRange(ood.Endpoint.EstimatePoints, 3, 7);
    }

    [Fact]
    public void Analyze_GeneratedItemsWithRefusals_ReportsRefusalRatePerArm()
    {
        var definition = TestDefinitions.SubQuick() with { Seeds = [11, 12] };

        var analysis = AnalysisStage.Analyze(definition, SyntheticEvaluations.Finals(definition, effect: 0), [], []);

        var rates = analysis.Comparisons[0].RefusalRates!;
        Assert.Equal([analysis.Comparisons[0].Arm, analysis.Baseline], rates.Select(r => r.Arm));
        Assert.Equal(4.0 / 12, rates[0].Rate, 10);
        Assert.Equal(0, rates[1].Rate);
        Assert.Equal(2, rates[0].PerSeed.Count);
    }

    [Fact]
    public void Analyze_OneSeed_EndpointsAreConditionalOnTheseRunsWithoutPValues()
    {
        var definition = TestDefinitions.SubQuick() with { Seeds = [11] };

        var analysis = AnalysisStage.Analyze(definition, SyntheticEvaluations.Finals(definition, effect: 0.05), [], []);

        var comparison = analysis.Comparisons[0];
        foreach (var report in new[] { comparison.OodSeedLevel!, comparison.HeldOutSeedLevel! })
        {
            Assert.True(report.ConditionalOnRuns);
            Assert.Null(report.Endpoint.SeedLevelTest);
            Assert.Contains(SeedLevelAnalysis.ConditionalLabel, report.Endpoint.Label, StringComparison.Ordinal);
        }
    }
}

public sealed class ItemValueTests
{
    [Fact]
    public void ItemValue_McItem_ClassicUsesLengthNormalisedMass_LinkedAndNullUseSummedMass()
    {
        var item = new BeneficialRL.Evals.Scoring.BenchmarkItemResult("i", 0.40, null, []) { NormalisedScore = 0.40, RawScore = 0.90 };
        var generated = new BeneficialRL.Evals.Scoring.BenchmarkItemResult("g", 0.70, null, []);

        Assert.Equal(0.40, BeneficialRL.Experiments.Analysis.AnalysisStage.ItemValue(new BeneficialRL.Experiments.Specs.WorldSpec(), item));
        Assert.Equal(0.90, BeneficialRL.Experiments.Analysis.AnalysisStage.ItemValue(new BeneficialRL.Experiments.Specs.WorldSpec { Kind = BeneficialRL.Experiments.Specs.WorldKind.Linked }, item));
        Assert.Equal(0.90, BeneficialRL.Experiments.Analysis.AnalysisStage.ItemValue(new BeneficialRL.Experiments.Specs.WorldSpec { Kind = BeneficialRL.Experiments.Specs.WorldKind.Null }, item));
        Assert.Equal(0.70, BeneficialRL.Experiments.Analysis.AnalysisStage.ItemValue(new BeneficialRL.Experiments.Specs.WorldSpec { Kind = BeneficialRL.Experiments.Specs.WorldKind.Linked }, generated));
    }
}
