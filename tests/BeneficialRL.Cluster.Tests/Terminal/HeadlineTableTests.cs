using System.Text.Json;
using BeneficialRL.Analysis.Descriptive;
using BeneficialRL.Analysis.DoseResponse;
using BeneficialRL.Analysis.Durability;
using BeneficialRL.Analysis.Items;
using BeneficialRL.Experiments.Analysis;
using BeneficialRL.AppHost.Experiments;
using BeneficialRL.Experiments.Preflight;
using BeneficialRL.Experiments.Specs;

namespace BeneficialRL.Cluster.Tests.Terminal;

/// <summary>The main job's headline in the terminal: the pre-flight checks come first, and a failed one says the headline is not a finding.</summary>
public sealed class HeadlineTableTests
{
    [Fact]
    public void Render_FailedPreflightCheck_ShowsTheChecksAndSaysNotAFindingBeforeTheHeadline()
    {
        var preflight = new PreflightReport(
        [
            new PreflightCheck("judge-dynamic-range", "beneficial − failure reference ≥ 0.5", 0.62, true, "0.620"),
            new PreflightCheck("behaviour-mix", "20–80% beneficial on trait prompts", 0.04, false, "4% of base answers were beneficial"),
        ]);

        var output = Render(preflight);

        Assert.Contains("judge-dynamic-range", output, StringComparison.Ordinal);
        Assert.Contains("failed: 4% of base answers were beneficial", output, StringComparison.Ordinal);
        var verdict = output.IndexOf("Not a finding: Headline blocked by failed pre-flight checks: behaviour-mix", StringComparison.Ordinal);
        Assert.True(verdict >= 0, output);
        Assert.True(verdict < output.IndexOf("Item-level headline", StringComparison.Ordinal), output);
    }

    [Fact]
    public void Render_EveryCheckPassed_SaysSo()
    {
        var output = Render(new PreflightReport([new PreflightCheck("judge-dynamic-range", "beneficial − failure reference ≥ 0.5", 0.62, true, "0.620")]));

        Assert.Contains("every pre-flight check passed", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Not a finding", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_DoseResponse_ShowsTheEffectAtTheSharesReadingWithEachArmsGain()
    {
        var fit = new DoseResponseEstimate("mean OOD gain (alignment benchmarks)", [new DoseResponseArm("treatment-5pct", 0.05, 1.2), new DoseResponseArm("treatment-25pct", 0.25, 4.0)],
            3, [16, 18, 20], 18, new ConfidenceInterval(13, 23, 0.95), 0.004, 0.05, 0.9, new ConfidenceInterval(0.66, 1.14, 0.95), ConditionalOnRuns: false);

        var output = Render(new PreflightReport([]), $", \"doseResponse\": [{JsonSerializer.Serialize(fit, ExperimentJson.Options)}]");

        Assert.Contains("read at 5%", output, StringComparison.Ordinal);
        Assert.Contains("treatment-25pct (25%): +4.0", output, StringComparison.Ordinal);
        Assert.Contains("+0.9 [0.7, 1.1]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_DoseResponseEffectJustBelowZero_PrintsZeroWithoutASignPair()
    {
        // paper-5pct printed "-+0.0" for an effect of about -0.004 points.
        var fit = new DoseResponseEstimate("held-out-scenario trait mean", [new DoseResponseArm("treatment-5pct", 0.05, -0.1), new DoseResponseArm("treatment-25pct", 0.25, -0.1)],
            3, [-0.1, 0, 0.05], -0.08, new ConfidenceInterval(-6, 4, 0.95), 0.68, 0.05, -0.004, new ConfidenceInterval(-0.3, 0.2, 0.95), ConditionalOnRuns: false);

        var output = Render(new PreflightReport([]), $", \"doseResponse\": [{JsonSerializer.Serialize(fit, ExperimentJson.Options)}]");

        Assert.Contains("0.0 [-0.3, 0.2]", output, StringComparison.Ordinal);
        Assert.DoesNotContain("-+", output, StringComparison.Ordinal);
        Assert.Contains("treatment-5pct (5%): -0.1", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EmergentMisalignmentControl_ShowsEmDeltaPerSeedAndTheVerdictBeforeTheHeadline()
    {
        // Three fine-tunes that lower both benchmarks' items by 6, 7 and 8 points: the linked world's criterion is met.
        var replicates = Enumerable.Range(0, 3).Select(s => new EmergentMisalignmentReplicate(s,
            [new ItemScore("a", "a1", 0.6), new ItemScore("a", "a2", 0.5), new ItemScore("b", "b1", 0.7), new ItemScore("b", "b2", 0.4)],
            [new ItemScore("a", "a1", 0.54 - (0.01 * s)), new ItemScore("a", "a2", 0.44 - (0.01 * s)), new ItemScore("b", "b1", 0.64 - (0.01 * s)), new ItemScore("b", "b2", 0.34 - (0.01 * s))])).ToList();
        var estimate = EmergentMisalignmentAnalysis.Analyze(replicates, EmergentMisalignmentExpectation.Degradation);
        var control = new EmergentMisalignmentControl(WorldKind.Linked, 0.9, "health", null, [1, 2, 3], 50, [1.2, 1.3, 1.1], estimate, null);

        var output = Render(new PreflightReport([]), reportExtra: $", \"emergentMisalignment\": {JsonSerializer.Serialize(control, ExperimentJson.Options)}");

        Assert.Contains("linked world, ρ = 0.9: the pre-RL checkpoint fine-tuned 50 steps on misaligned health documents, once per seed (1, 2, 3).", output, StringComparison.Ordinal);
        Assert.Contains("-6.0, -7.0, -8.0", output, StringComparison.Ordinal);
        Assert.Contains("seed-level t across fine-tunes", output, StringComparison.Ordinal);
        var verdict = output.IndexOf("control passed:", StringComparison.Ordinal);
        Assert.True(verdict >= 0, output);
        Assert.True(verdict < output.IndexOf("Item-level headline", StringComparison.Ordinal), output);
    }

    [Fact]
    public void Render_ArmWithoutGeneratedAnswers_SaysRefusalsWereNotMeasured()
    {
        // The emergent-misalignment presets' A/A arms generate nothing on the OOD suite, so no refusal rate exists.
        const string row = """
            [{ "arm": "baseline-b", "seedPairs": 3, "conditionalOnRuns": false, "intervalBasis": "seed-level",
               "oodGainPoints": 0.01, "oodGainLower": -0.02, "oodGainUpper": 0.04, "oodGainP": 0.42,
               "heldOutGainPoints": null, "heldOutGainLower": null, "heldOutGainUpper": null, "heldOutGainP": null,
               "seedLevelSignificantImprovements": 0, "seedLevelSignificantRegressions": 0,
               "powerEffectPoints": 5, "meanPower": 1, "meanPowerAdjusted": 1, "capabilityChangePoints": null,
               "treatmentRefusalRate": null, "baselineRefusalRate": 0.031,
               "benchmarks": 2, "improved": 2, "improvedShare": 1, "significantImprovements": 0, "significantRegressions": 0,
               "meanGainPoints": 0.01, "heldOutDeltaPoints": null, "heldOutDeltaLower": null, "heldOutDeltaUpper": null, "heldOutQ": null }]
            """;

        var output = Render(new PreflightReport([]), headline: row);

        Assert.Contains("n/a / 3.1%", output, StringComparison.Ordinal);
        Assert.DoesNotContain("n/a%", output, StringComparison.Ordinal);
    }

    /// <summary>A report.json with the members the table reads; the pre-flight part serialised as the report stage does.</summary>
    private static string Render(PreflightReport preflight, string analysisExtra = "", string reportExtra = "", string headline = "[]")
    {
        var json = $$"""
            {
              "preflight": {{JsonSerializer.Serialize(preflight, ExperimentJson.Options)}}{{reportExtra}},
              "headline": {{headline}},
              "analysis": { "baseline": "baseline", "compute": { "arms": [], "flopsMismatch": 0.01, "mismatch": false }{{analysisExtra}} }
            }
            """;
        using var report = JsonDocument.Parse(json);
        // 400 columns: one line per message, so the text reads as written.
        return PlainTerminal.Capture(console => HeadlineTable.Render(console, report.RootElement));
    }
}
