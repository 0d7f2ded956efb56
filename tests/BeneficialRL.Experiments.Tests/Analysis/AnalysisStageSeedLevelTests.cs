using BeneficialRL.Analysis.DoseResponse;
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

    [Fact]
    public void Analyze_TreatmentArmsAtTwoShares_FitsEachPrimaryEndpointsDoseResponseReadAtFivePercent()
    {
        var subQuick = TestDefinitions.SubQuick() with { Seeds = [11, 12, 13] };
        var treatment = subQuick.Arms[1];
        var low = treatment with { Name = "treatment-5pct", Slices = [treatment.Slices[0] with { Share = 0.05 }, treatment.Slices[1] with { Share = 0.95 }] };
        var high = treatment with { Name = "treatment-25pct", Slices = [treatment.Slices[0] with { Share = 0.25 }, treatment.Slices[1] with { Share = 0.75 }] };
        var definition = subQuick with { Arms = [subQuick.Arms[0], low, high] };

        var analysis = AnalysisStage.Analyze(definition, SyntheticEvaluations.Finals(definition, effect: 0.05), [], []);

        Assert.Null(AnalysisStage.Analyze(subQuick, SyntheticEvaluations.Finals(subQuick, effect: 0.05), [], []).DoseResponse);
        var fits = analysis.DoseResponse!;
        Assert.Equal([AnalysisStage.OodEndpoint, AnalysisStage.HeldOutEndpoint], fits.Select(f => f.Endpoint));
        var ood = fits[0];
        Assert.Equal([0.05, 0.25], ood.Arms.Select(a => a.Share));
        Assert.Equal(3, ood.Seeds);
        Assert.Equal(AnalysisStage.DoseResponseShare, ood.AtShare);
        Assert.Equal(ood.SlopePoints * AnalysisStage.DoseResponseShare, ood.EffectPoints, 9);
        Assert.NotNull(ood.EffectInterval);
        // The same fit as the library's on the arms' own seed-level endpoints: nothing else enters it.
        var expected = DoseResponseAnalysis.Fit(AnalysisStage.OodEndpoint,
            [.. analysis.Comparisons.Select(c => (c.Arm, definition.Arms.Single(a => a.Name == c.Arm).Slices[0].Share, c.OodSeedLevel!.Endpoint))], AnalysisStage.DoseResponseShare);
        Assert.Equal(expected.PerSeedSlopes, ood.PerSeedSlopes);
    }
}
