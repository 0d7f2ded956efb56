using System.Text.Json;
using BeneficialRL.Analysis.Items;
using BeneficialRL.Analysis.SeedLevel;
using BeneficialRL.Analysis.Validation;
using BeneficialRL.AppHost.Experiments;
using BeneficialRL.Experiments.Analysis;
using BeneficialRL.Experiments.Preflight;
using BeneficialRL.Experiments.Specs;

namespace BeneficialRL.Cluster.Tests.Terminal;

/// <summary>validate-testbed's end: the reports read back as the report stage writes them, and the pass table in the terminal.</summary>
public sealed class ValidationTableTests
{
    private static readonly PreflightCheck Range = new("judge-dynamic-range", "beneficial − failure reference ≥ 0.5", 0.82, true, "0.820");
    private static readonly PreflightCheck FailedMix = new("behaviour-mix", "20–80% beneficial on trait prompts", 0.023, false, "3 of 128 samples beneficial");

    [Fact]
    public void Read_ReportJson_GivesTheSeedLevelReportsAndChecksAsWritten()
    {
        var seedLevel = SeedLevel(shift: 0);

        using var report = Report("validate-control-planted", new PreflightReport([Range, FailedMix]), seedLevel, planted: ["b0"]);
        var read = ValidationReportReader.Read(report.RootElement, ValidationRole.PlantedEffect);

        Assert.Equal(("validate-control-planted", "baseline-b", 1), (read.Preset, read.Arm, read.PlantedBenchmarks));
        Assert.Equal(["judge-dynamic-range", "behaviour-mix"], read.Preflight.Select(c => c.Name));
        Assert.Equal("behaviour-mix", Assert.Single(read.FailedChecks).Name);
        var ood = Assert.IsType<SeedLevelReport>(read.Ood);
        Assert.Equal(seedLevel.Endpoint.SeedLevelInterval, ood.Endpoint.SeedLevelInterval);
        Assert.Equal(seedLevel.Endpoint.BetweenSeedStandardDeviationPoints, ood.Endpoint.BetweenSeedStandardDeviationPoints);
        Assert.Equal(seedLevel.MeanPower, ood.MeanPower);
        Assert.Equal(seedLevel.Benchmarks.Select(b => b.BetweenSeedStandardDeviationPoints), ood.Benchmarks.Select(b => b.BetweenSeedStandardDeviationPoints));
    }

    [Fact]
    public void Render_BlockedLinkedWorld_ShowsTheFailedCheckTheVerdictSpreadAndLabelledTreatment()
    {
        var experiments = new[]
        {
            Read("validate-testbed-linked", ValidationRole.LinkedWorld, new PreflightReport([Range, FailedMix]), SeedLevel(shift: 0.06)),
            Read("validate-control-null-world", ValidationRole.NullWorld, new PreflightReport([Range]), SeedLevel(shift: 0)),
            Read("validate-control-aa", ValidationRole.AaControl, new PreflightReport([Range]), SeedLevel(shift: 0)),
        };

        var output = Render(TestbedValidation.Evaluate(experiments));

        Assert.All(
            [
                "Test-bed validation: pass table", "pre-flight: behaviour-mix", "validate-testbed-linked: 0.023 (fails)", "FAILED", "the test bed does not pass",
                "Seed spread and power from the A/A run (validate-control-aa, 3 seed pairs)", "power for a 5-point mean OOD gain",
                "reported whatever they show", "not a finding: pre-flight failed",
            ],
            expected => Assert.Contains(expected, output, StringComparison.Ordinal));
        // The planted control did not complete: its row says so rather than passing.
        Assert.Contains("the planted effect experiment did not complete", output, StringComparison.Ordinal);
    }

    private static ValidationExperiment Read(string preset, ValidationRole role, PreflightReport preflight, SeedLevelReport seedLevel)
    {
        using var report = Report(preset, preflight, seedLevel);
        return ValidationReportReader.Read(report.RootElement, role);
    }

    /// <summary>A report.json with the members the reader uses, serialised as the report stage does.</summary>
    private static JsonDocument Report(string preset, PreflightReport preflight, SeedLevelReport seedLevel, IReadOnlyList<string>? planted = null)
    {
        var comparison = new ArmComparison("baseline-b", null, [], null, [], OodSeedLevel: seedLevel, HeldOutSeedLevel: seedLevel);
        var json = $$"""
            {
              "definition": { "name": "{{preset}}" },
              "preflight": {{JsonSerializer.Serialize(preflight, ExperimentJson.Options)}},
              "analysis": { "baseline": "baseline", "comparisons": [{{JsonSerializer.Serialize(comparison, ExperimentJson.Options)}}], "plantedBenchmarks": {{JsonSerializer.Serialize(planted, ExperimentJson.Options)}} }
            }
            """;
        return JsonDocument.Parse(json);
    }

    /// <summary>A real seed-level analysis: 3 seed pairs × 3 benchmarks × 12 items, the arm ahead by <paramref name="shift"/> (0–1 scale) plus a run effect.</summary>
    private static SeedLevelReport SeedLevel(double shift)
    {
        static double Noise(int seed, int benchmark, int item) => ((((seed * 31) + (benchmark * 17) + (item * 7)) % 11) - 5) / 100.0;
        var arm = new List<ItemScore>();
        var baseline = new List<ItemScore>();
        for (var seed = 0; seed < 3; seed++)
            for (var b = 0; b < 3; b++)
                for (var i = 0; i < 12; i++)
                {
                    baseline.Add(new ItemScore($"b{b}", $"i{i}", 0.5 + Noise(seed, b, i), Replicate: seed));
                    // A run effect per seed pair and benchmark, so the seeds spread beyond item noise.
                    arm.Add(new ItemScore($"b{b}", $"i{i}", 0.5 + shift + (0.01 * ((((seed * 7) + (b * 3)) % 5) - 2)) + Noise(seed + 5, b, i + 3), Replicate: seed));
                }

        return SeedLevelAnalysis.Analyze(arm, baseline, "mean OOD gain (alignment benchmarks)", new BeneficialRL.Analysis.AnalysisOptions { BootstrapResamples = 200 });
    }

    // 600 columns: one line per table row, so the text reads as written.
    private static string Render(ValidationTable table) => PlainTerminal.Capture(console => ValidationTableView.Render(console, table), width: 600);
}
