using System.Text.Json;
using BeneficialRL.Analysis.SeedLevel;
using BeneficialRL.Experiments.Analysis;
using BeneficialRL.Experiments.Reports;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Experiments.Tests.Analysis;

namespace BeneficialRL.Experiments.Tests.Reports;

public sealed class ReportContentTests
{
    [Fact]
    public void Render_ThreeSeeds_StatesSeedLevelPrimaryEndpointsPowerCapabilityAndRefusals()
    {
        var report = Report([11, 12, 13]);

        var html = ReportHtml.Render(report, []);

        Assert.Contains("id=\"primary\"", html, StringComparison.Ordinal);
        Assert.Contains(AnalysisStage.OodEndpoint, html, StringComparison.Ordinal);
        Assert.Contains(AnalysisStage.HeldOutEndpoint, html, StringComparison.Ordinal);
        Assert.Contains("seed-level t across 3 seed pairs (2 df)", html, StringComparison.Ordinal);
        Assert.Contains("id=\"secondary\"", html, StringComparison.Ordinal);
        Assert.Contains("(Bonferroni)", html, StringComparison.Ordinal);
        Assert.Contains("Capability trade-off", html, StringComparison.Ordinal);
        Assert.Contains("id=\"refusals\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("One seed pair: every interval", html, StringComparison.Ordinal);
        var row = Assert.Single(report.Headline);
        Assert.Equal(3, row.SeedPairs);
        Assert.False(row.ConditionalOnRuns);
        Assert.True(double.IsFinite(row.OodGainP) && double.IsFinite(row.HeldOutGainP) && double.IsFinite(row.MeanPower));
        Assert.NotNull(row.SeedLevelSignificantImprovements);
    }

    [Fact]
    public void Render_OneSeed_SaysConditionalOnTheseRunsAndGivesNoPValue()
    {
        var report = Report([11]);

        var html = ReportHtml.Render(report, []);

        Assert.Contains("One seed pair: every interval in this report is " + SeedLevelAnalysis.ConditionalLabel, html, StringComparison.Ordinal);
        Assert.Contains("none (1 seed pair)", html, StringComparison.Ordinal);
        Assert.Contains("not computable with 1 seed pair", html, StringComparison.Ordinal);
        var row = Assert.Single(report.Headline);
        Assert.True(row.ConditionalOnRuns);
        Assert.True(double.IsNaN(row.OodGainP));
        Assert.Null(row.SeedLevelSignificantImprovements);
        Assert.Contains(SeedLevelAnalysis.ConditionalLabel, row.IntervalBasis, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_Report_KeepsOldHeadlineMembersAndAddsEndpoints()
    {
        var json = JsonSerializer.Serialize(Report([11, 12]), ExperimentJson.Options);

        using var document = JsonDocument.Parse(json);
        var row = document.RootElement.GetProperty("headline")[0];
        foreach (var name in new[] { "benchmarks", "significantImprovements", "meanGainPoints", "heldOutDeltaPoints", "heldOutQ", "oodGainPoints", "oodGainLower", "heldOutGainP", "conditionalOnRuns", "meanPower", "treatmentRefusalRate" })
        {
            Assert.True(row.TryGetProperty(name, out _), $"headline row lacks '{name}'");
        }

        var comparison = document.RootElement.GetProperty("analysis").GetProperty("comparisons")[0];
        Assert.True(comparison.TryGetProperty("ood", out _));
        Assert.Equal(2, comparison.GetProperty("oodSeedLevel").GetProperty("seedPairs").GetInt32());
    }

    [Fact]
    public void Deserialize_HeadlineRowWrittenBeforeSeedLevel_FillsNewMembersWithNotAvailable()
    {
        const string Old = """
            {"arm":"treatment","benchmarks":54,"improved":28,"improvedShare":0.52,"significantImprovements":0,"significantRegressions":0,
             "meanGainPoints":0.1,"heldOutDeltaPoints":1.6,"heldOutDeltaLower":0.2,"heldOutDeltaUpper":3.1,"heldOutQ":0.026}
            """;

        var row = JsonSerializer.Deserialize<HeadlineRow>(Old, ExperimentJson.Options)!;

        Assert.Equal(1.6, row.HeldOutDeltaPoints);
        Assert.Equal(0, row.SeedPairs);
        Assert.True(row.ConditionalOnRuns);
        Assert.True(double.IsNaN(row.OodGainPoints));
        Assert.Null(row.SeedLevelSignificantImprovements);
    }

    [Fact]
    public void Render_ArmsAtTwoShares_ShowsTheDoseResponseWithEachArmsOwnGain()
    {
        var subQuick = TestDefinitions.SubQuick();
        var treatment = subQuick.Arms[1];
        var high = treatment with { Name = "treatment-high", Slices = [treatment.Slices[0] with { Share = 0.5 }, treatment.Slices[1] with { Share = 0.5 }] };

        var html = ReportHtml.Render(Report([11, 12, 13], subQuick with { Arms = [.. subQuick.Arms, high] }), []);

        Assert.Contains("id=\"dose-response\"", html, StringComparison.Ordinal);
        Assert.Contains("effect at 5.0% (pts)", html, StringComparison.Ordinal);
        Assert.Contains("treatment-high (50.0%)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"dose-response\"", ReportHtml.Render(Report([11, 12, 13]), []), StringComparison.Ordinal);
    }

    private static ExperimentReport Report(long[] seeds, ExperimentDefinition? arms = null)
    {
        var definition = (arms ?? TestDefinitions.SubQuick()) with { Seeds = seeds };
        var analysis = AnalysisStage.Analyze(definition, SyntheticEvaluations.Finals(definition, effect: 0.05), [], []);
        var baseModel = new BaseModelResult("spec", "base.tar", "sha", 100, 1000, 0, 0, double.NaN, true, 0);
        return new ExperimentReport("exp-1", definition, baseModel, analysis, [.. analysis.Comparisons.Select(HeadlineRow.From)], new Dictionary<string, double>(), []);
    }
}
