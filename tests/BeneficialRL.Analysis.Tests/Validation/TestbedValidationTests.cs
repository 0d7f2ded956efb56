using BeneficialRL.Analysis.Descriptive;
using BeneficialRL.Analysis.HypothesisTests;
using BeneficialRL.Analysis.SeedLevel;
using BeneficialRL.Analysis.Validation;

namespace BeneficialRL.Analysis.Tests.Validation;

/// <summary>The validate-testbed pass table on handmade reports: each control's criterion on the intervals the reports hold.</summary>
public sealed class TestbedValidationTests
{
    [Fact]
    public void Evaluate_PassingSet_EveryRowPasses_AndSpreadAndPowerAreTheAaReports()
    {
        var table = TestbedValidation.Evaluate(PassingSet());

        Assert.True(table.Passed, string.Join("\n", table.Rows.Select(r => $"{r.Control}: {r.Outcome} {r.Detail}")));
        Assert.Equal(["pre-flight: judge-dynamic-range", "pre-flight: behaviour-mix", "A/A", "A/A", "A/A", "planted effect", "null world"], table.Rows.Select(r => r.Control));
        Assert.Equal(4, table.Rows[0].Values.Count);
        var spread = Assert.IsType<SeedSpread>(table.Spread);
        Assert.Equal((2.0, 1.0, 4.0, 3), (spread.BenchmarkSdMedian!.Value, spread.BenchmarkSdMin!.Value, spread.BenchmarkSdMax!.Value, spread.Benchmarks));
        Assert.Equal((0.8, 1.5), (spread.OodEndpointSd!.Value, spread.HeldOutEndpointSd!.Value));
        Assert.Equal((0.31, 0.12, 0.9, 0.6), (spread.BenchmarkPower!.Value, spread.BenchmarkPowerAdjusted!.Value, spread.OodEndpointPower!.Value, spread.HeldOutEndpointPower!.Value));
        Assert.Equal(5, spread.EffectPoints);
        // Both worlds' endpoints are listed, the linked world's gain included, whatever they show.
        Assert.Equal([(ValidationRole.LinkedWorld, 2.5), (ValidationRole.LinkedWorld, 4.0), (ValidationRole.NullWorld, 0.2), (ValidationRole.NullWorld, 3.0)],
            table.Treatment.Select(t => (t.World, t.Estimate.EstimatePoints)));
        Assert.All(table.Treatment, t => Assert.False(t.Blocked));
    }

    [Fact]
    public void Evaluate_FailingAa_DiscoveriesAndAnEndpointAwayFromZero_FailTheirRows()
    {
        var set = PassingSet();
        set[2] = set[2] with { Ood = Family(Endpoint(1.2, 0.3, 2.1), better: 2, worse: 1) };

        var table = TestbedValidation.Evaluate(set);

        var aa = table.Rows.Where(r => r.Control == "A/A").ToList();
        Assert.Equal([ValidationOutcome.Failed, ValidationOutcome.Failed, ValidationOutcome.Passed], aa.Select(r => r.Outcome));
        Assert.Contains("2 better, 1 worse", aa[0].Detail, StringComparison.Ordinal);
        Assert.Equal(3, aa[0].Values[0].Value);
        Assert.False(table.Passed);
    }

    [Fact]
    public void Evaluate_PlantedEffectNotFound_FailsThePlantedRow()
    {
        var set = PassingSet();
        set[3] = set[3] with { Ood = Family(Endpoint(0.9, -0.4, 2.2)) };

        var table = TestbedValidation.Evaluate(set);

        var planted = Assert.Single(table.Rows, r => r.Control == "planted effect");
        Assert.Equal(ValidationOutcome.Failed, planted.Outcome);
        Assert.Contains("planted on 1 of 3 benchmarks", planted.Detail, StringComparison.Ordinal);
        Assert.False(table.Passed);
    }

    [Fact]
    public void Evaluate_NullWorldShowingTransfer_FailsTheNullWorldRow_AndStillReportsItsEndpoint()
    {
        var set = PassingSet();
        set[1] = set[1] with { Ood = Family(Endpoint(2.4, 1.1, 3.7)) };

        var table = TestbedValidation.Evaluate(set);

        Assert.Equal(ValidationOutcome.Failed, Assert.Single(table.Rows, r => r.Control == "null world").Outcome);
        Assert.Contains(table.Treatment, t => t.World == ValidationRole.NullWorld && t.Estimate.EstimatePoints == 2.4);
        Assert.False(table.Passed);
    }

    [Fact]
    public void Evaluate_FailedPreflight_FailsItsRow_BlocksThatExperimentsControlsAndHeadline_NeverAPass()
    {
        var set = PassingSet();
        var failedMix = Mix with { Value = 0.023, Passed = false, Detail = "3 of 128 samples beneficial" };
        set[0] = set[0] with { Preflight = [JudgeRange, failedMix] };
        set[2] = set[2] with { Preflight = [JudgeRange, failedMix] };

        var table = TestbedValidation.Evaluate(set);

        var mix = Assert.Single(table.Rows, r => r.Control == "pre-flight: behaviour-mix");
        Assert.Equal(ValidationOutcome.Failed, mix.Outcome);
        Assert.Contains("validate-testbed-linked (3 of 128 samples beneficial)", mix.Detail, StringComparison.Ordinal);
        Assert.Equal([false, true, false, true], mix.Values.Select(v => v.Passed));
        // The A/A's criteria held, but its pre-flight failed: blocked, not passed.
        Assert.All(table.Rows.Where(r => r.Control == "A/A"), r => Assert.Equal(ValidationOutcome.Blocked, r.Outcome));
        Assert.Contains("the criterion held", table.Rows.First(r => r.Control == "A/A").Detail, StringComparison.Ordinal);
        Assert.Equal(ValidationOutcome.Passed, Assert.Single(table.Rows, r => r.Control == "null world").Outcome);
        Assert.All(table.Treatment.Where(t => t.World == ValidationRole.LinkedWorld), t => Assert.True(t.Blocked));
        Assert.All(table.Treatment.Where(t => t.World == ValidationRole.NullWorld), t => Assert.False(t.Blocked));
        Assert.False(table.Passed);
    }

    [Fact]
    public void Evaluate_MissingExperimentOrOneSeedPair_IsNotMeasured_AndNoSpreadWithoutTheAa()
    {
        var set = PassingSet();
        set[3] = set[3] with { Ood = Family(Endpoint(1.0, double.NaN, double.NaN, seedPairs: 1)) };

        var table = TestbedValidation.Evaluate([set[0], set[1], set[3]]);

        Assert.All(table.Rows.Where(r => r.Control == "A/A"), r => Assert.Equal(ValidationOutcome.NotMeasured, r.Outcome));
        var planted = Assert.Single(table.Rows, r => r.Control == "planted effect");
        Assert.Equal(ValidationOutcome.NotMeasured, planted.Outcome);
        Assert.Contains("conditional on these runs", planted.Detail, StringComparison.Ordinal);
        Assert.Null(table.Spread);
        Assert.False(table.Passed);
    }

    [Fact]
    public void Evaluate_TwoExperimentsInOneRole_Throws()
    {
        var set = PassingSet();

        var error = Assert.Throws<ArgumentException>(() => TestbedValidation.Evaluate([set[2], set[2] with { Preset = "other" }]));

        Assert.Contains("AaControl", error.Message, StringComparison.Ordinal);
    }

    // Two pre-flight checks that pass in every experiment of the passing set.
    private static readonly PreflightOutcome JudgeRange = new("judge-dynamic-range", "beneficial − failure ≥ 0.5", 0.82, true, "0.820");
    private static readonly PreflightOutcome Mix = new("behaviour-mix", "20–80% beneficial", 0.41, true, "41%");

    /// <summary>Linked, null, A/A, planted: every check passed, the controls where they should be, a linked-world gain.</summary>
    private static List<ValidationExperiment> PassingSet() =>
    [
        new(ValidationRole.LinkedWorld, "validate-testbed-linked", "treatment", [JudgeRange, Mix], Family(Endpoint(2.5, 0.5, 4.5)), Family(Endpoint(4.0, 1.0, 7.0))),
        new(ValidationRole.NullWorld, "validate-control-null-world", "treatment", [JudgeRange, Mix], Family(Endpoint(0.2, -1.0, 1.4)), Family(Endpoint(3.0, 0.5, 5.5))),
        new(ValidationRole.AaControl, "validate-control-aa", "baseline-b", [JudgeRange, Mix], Family(Endpoint(0.1, -1.0, 1.2, sd: 0.8, power: 0.9), benchmarkSds: [4.0, 1.0, 2.0]),
            Family(Endpoint(-0.3, -2.0, 1.4, sd: 1.5, power: 0.6))),
        new(ValidationRole.PlantedEffect, "validate-control-planted", "baseline-b", [JudgeRange, Mix], Family(Endpoint(1.6, 0.4, 2.8)), Family(Endpoint(-0.3, -2.0, 1.4)), PlantedBenchmarks: 1),
    ];

    private static SeedLevelEstimate Endpoint(double estimate, double lower, double upper, int seedPairs = 3, double? sd = 1.0, double? power = 0.5)
    {
        var seedLevel = seedPairs >= 2;
        return new SeedLevelEstimate(
            "endpoint", seedPairs, [], estimate,
            seedLevel ? new TTestResult(estimate, 1, estimate, seedPairs - 1, 0.2) : null,
            seedLevel ? new ConfidenceInterval(lower, upper, 0.95) : null,
            null,
            new ConfidenceInterval(estimate - 0.5, estimate + 0.5, 0.95),
            null,
            seedLevel ? sd : null,
            10,
            24,
            seedLevel ? power : null,
            null, null, false, false, !seedLevel,
            seedLevel ? "seed-level" : SeedLevelAnalysis.ConditionalLabel);
    }

    private static SeedLevelReport Family(SeedLevelEstimate endpoint, int better = 0, int worse = 0, double[]? benchmarkSds = null)
    {
        var benchmarks = (benchmarkSds ?? [1.0, 1.0, 1.0]).Select((sd, i) => Endpoint(0, -1, 1, endpoint.SeedPairs, sd) with { Name = $"b{i}" }).ToList();
        var seedLevel = !endpoint.ConditionalOnRuns;
        return new SeedLevelReport(benchmarks, endpoint, endpoint.SeedPairs, endpoint.ConditionalOnRuns, better, worse,
            seedLevel ? 0.31 : null, seedLevel ? 0.12 : null, 5, 0.05);
    }
}
