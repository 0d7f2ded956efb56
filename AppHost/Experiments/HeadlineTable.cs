using System.Globalization;
using System.Text.Json;
using BeneficialRL.AppHost.Terminal;
using Spectre.Console;

namespace BeneficialRL.AppHost.Experiments;

/// <summary>The paper's headline per compared arm, and the compute each arm spent, from <c>report.json</c>.</summary>
public static class HeadlineTable
{
    /// <summary>Renders the primary endpoints, the secondary and item-level headline, and the compute tables of <paramref name="report"/>.</summary>
    public static void Render(ResourceConsole console, JsonElement report)
    {
        var analysis = report.GetProperty("analysis");
        var baselineName = Markup.Escape(analysis.GetProperty("baseline").GetString() ?? "baseline");
        RenderPreflight(console, report);
        RenderEmergentMisalignment(console, report);
        // Reports written before the seed-level analysis have no endpoint members: skip the table rather than print n/a rows.
        if (report.GetProperty("headline").EnumerateArray().Any(r => r.TryGetProperty("intervalBasis", out var basis) && basis.GetString() is { Length: > 0 }))
        {
            RenderPrimary(console, report, baselineName);
        }

        RenderDoseResponse(console, analysis);
        var table = new Table().RoundedBorder().Title($"Item-level headline (vs {baselineName}; conditional on these runs)")
            .AddColumns("Arm", "OOD benchmarks", "Improved", "Sig. better", "Sig. worse", "Mean gain (pts)", "Held-out Δ (pts) [[95% CI]]", "Held-out q");
        foreach (var row in report.GetProperty("headline").EnumerateArray())
        {
            var n = row.GetProperty("benchmarks").GetInt32();
            table.AddRow(
                Markup.Escape(row.GetProperty("arm").GetString() ?? ""),
                n.ToString(CultureInfo.InvariantCulture),
                $"{row.GetProperty("improved").GetInt32()} ({F(ExperimentMainJob.Number(row.GetProperty("improvedShare")) * 100, "0")}%)",
                row.GetProperty("significantImprovements").GetInt32().ToString(CultureInfo.InvariantCulture),
                row.GetProperty("significantRegressions").GetInt32().ToString(CultureInfo.InvariantCulture),
                F(ExperimentMainJob.Number(row.GetProperty("meanGainPoints")), Signed),
                Markup.Escape($"{F(ExperimentMainJob.Number(row.GetProperty("heldOutDeltaPoints")), Signed)} [{F(ExperimentMainJob.Number(row.GetProperty("heldOutDeltaLower")), "0.0")}, {F(ExperimentMainJob.Number(row.GetProperty("heldOutDeltaUpper")), "0.0")}]"),
                F(ExperimentMainJob.Number(row.GetProperty("heldOutQ")), "0.000"));
        }

        console.Render(table);

        var compute = analysis.GetProperty("compute");
        var ledger = new Table().RoundedBorder().Title("Compute spent per arm").AddColumns("Arm", "Runs", "Steps", "Tokens generated", "Tokens trained", "Est. FLOPs");
        foreach (var arm in compute.GetProperty("arms").EnumerateArray())
        {
            ledger.AddRow(
                Markup.Escape(arm.GetProperty("arm").GetString() ?? ""),
                arm.GetProperty("runs").GetInt32().ToString(CultureInfo.InvariantCulture),
                arm.GetProperty("steps").GetInt64().ToString(CultureInfo.InvariantCulture),
                arm.GetProperty("tokensGenerated").GetInt64().ToString("N0", CultureInfo.InvariantCulture),
                arm.GetProperty("tokensTrained").GetInt64().ToString("N0", CultureInfo.InvariantCulture),
                ExperimentMainJob.Number(arm.GetProperty("estimatedFlops")).ToString("0.00e0", CultureInfo.InvariantCulture));
        }

        console.Render(ledger);
        var spread = ExperimentMainJob.Number(compute.GetProperty("flopsMismatch")) * 100;
        if (compute.GetProperty("mismatch").GetBoolean())
            console.Warn($"compute mismatch above 2% between arms (FLOPs spread {spread:0.0}%): same budget, different completion lengths — see the report.");
        else
            console.Info($"compute matched within 2% (FLOPs spread {spread:0.0}%).");
    }

    /// <summary>
    /// The pre-flight checks before the headline: a failed check means the world or budget could not show an effect,
    /// so what follows is not a finding, and the researcher reads why first.
    /// </summary>
    private static void RenderPreflight(ResourceConsole console, JsonElement report)
    {
        if (!report.TryGetProperty("preflight", out var preflight) || preflight.ValueKind != JsonValueKind.Object) return;
        var table = new Table().RoundedBorder().Title("Pre-flight checks (base model before RL; trait-slice reward after)").AddColumns("Check", "Criterion", "Value", "Result");
        foreach (var check in preflight.GetProperty("checks").EnumerateArray())
        {
            var passed = check.GetProperty("passed").GetBoolean();
            table.AddRow(
                Markup.Escape(check.GetProperty("name").GetString() ?? ""),
                Markup.Escape(check.GetProperty("criterion").GetString() ?? ""),
                F(ExperimentMainJob.Number(check.GetProperty("value")), "0.000"),
                passed ? "[green]passed[/]" : $"[red]failed[/]: {Markup.Escape(check.GetProperty("detail").GetString() ?? "")}");
        }

        console.Render(table);
        if (preflight.TryGetProperty("blockReason", out var reason) && reason.GetString() is { Length: > 0 } why)
            console.Warn($"Not a finding: {why}");
        else
            console.Info("every pre-flight check passed: the headline below can be read as a result.");
    }

    /// <summary>
    /// The emergent-misalignment control (<c>control-em-*</c> presets): EM Δ with its interval and each fine-tune's value,
    /// the in-domain change, and the verdict against the world's criterion. For these presets it is the result; their RL
    /// arms are not read.
    /// </summary>
    private static void RenderEmergentMisalignment(ResourceConsole console, JsonElement report)
    {
        if (!report.TryGetProperty("emergentMisalignment", out var em) || em.ValueKind != JsonValueKind.Object) return;
        var result = em.GetProperty("endpoint");
        var seeds = string.Join(", ", em.GetProperty("seeds").EnumerateArray().Select(s => s.GetInt64().ToString(CultureInfo.InvariantCulture)));
        console.Info(Markup.Escape($"Control: emergent misalignment. {em.GetProperty("world").GetString()} world, ρ = {F(ExperimentMainJob.Number(em.GetProperty("rho")), "0.0#")}: "
            + $"the pre-RL checkpoint fine-tuned {em.GetProperty("finalDose").GetInt32()} steps on misaligned {em.GetProperty("domain").GetString()} documents, once per seed ({seeds})."));
        var table = new Table().RoundedBorder().Title("Control: emergent misalignment")
            .AddColumns("Endpoint", "Δ (pts) [[95% CI]]", "Interval", "Per seed (pts)");
        List<JsonElement> rows = [result.GetProperty("endpoint")];
        if (em.TryGetProperty("inDomain", out var inDomain) && inDomain.ValueKind == JsonValueKind.Object) rows.Add(inDomain);
        foreach (var row in rows)
        {
            var seedLevel = row.TryGetProperty("seedLevelInterval", out var ci) && ci.ValueKind == JsonValueKind.Object;
            var interval = seedLevel ? ci : row.GetProperty("itemLevelInterval");
            table.AddRow(
                Markup.Escape(row.GetProperty("name").GetString() ?? ""),
                Markup.Escape($"{F(ExperimentMainJob.Number(row.GetProperty("estimatePoints")), Signed)} [{F(ExperimentMainJob.Number(interval.GetProperty("lower")), "0.0")}, {F(ExperimentMainJob.Number(interval.GetProperty("upper")), "0.0")}]"),
                seedLevel ? "seed-level t across fine-tunes" : "item-level, conditional on this fine-tune",
                Markup.Escape(string.Join(", ", row.GetProperty("perSeedPair").EnumerateArray().Select(p => F(ExperimentMainJob.Number(p.GetProperty("meanDifferencePoints")), Signed)))));
        }

        console.Render(table);
        var verdict = $"{result.GetProperty("verdict").GetString()} (criterion: {result.GetProperty("criterion").GetString()})";
        if (result.TryGetProperty("passed", out var passed) && passed.ValueKind == JsonValueKind.True) console.Info(Markup.Escape("control passed: " + verdict));
        else console.Warn("control not passed: " + verdict);
    }

    /// <summary>With arms at several trait shares (<c>paper-5pct</c>): each primary endpoint's line through the baseline, read at the paper's share.</summary>
    private static void RenderDoseResponse(ResourceConsole console, JsonElement analysis)
    {
        if (!analysis.TryGetProperty("doseResponse", out var fits) || fits.ValueKind != JsonValueKind.Array || fits.GetArrayLength() == 0) return;
        var at = ExperimentMainJob.Number(fits[0].GetProperty("atShare")) * 100;
        var table = new Table().RoundedBorder().Title($"Dose–response: each endpoint's gain against the trait share, read at {F(at, "0.#")}%")
            .AddColumns("Endpoint", "Arms (share: gain, pts)", $"Effect at {F(at, "0.#")}% (pts) [[95% CI]]", "p", "Seeds");
        foreach (var fit in fits.EnumerateArray())
        {
            var arms = string.Join("; ", fit.GetProperty("arms").EnumerateArray().Select(a =>
                $"{a.GetProperty("arm").GetString()} ({F(ExperimentMainJob.Number(a.GetProperty("share")) * 100, "0.#")}%): {F(ExperimentMainJob.Number(a.GetProperty("gainPoints")), Signed)}"));
            var interval = fit.TryGetProperty("effectInterval", out var ci) && ci.ValueKind == JsonValueKind.Object
                ? $" [{F(ExperimentMainJob.Number(ci.GetProperty("lower")), "0.0")}, {F(ExperimentMainJob.Number(ci.GetProperty("upper")), "0.0")}]"
                : " (conditional on these runs)";
            table.AddRow(
                Markup.Escape(fit.GetProperty("endpoint").GetString() ?? ""),
                Markup.Escape(arms),
                Markup.Escape(F(ExperimentMainJob.Number(fit.GetProperty("effectPoints")), Signed) + interval),
                fit.TryGetProperty("pValue", out var p) && p.ValueKind == JsonValueKind.Number ? F(p.GetDouble(), "0.000") : "none",
                fit.GetProperty("seeds").GetInt32().ToString(CultureInfo.InvariantCulture));
        }

        console.Render(table);
    }

    private static void RenderPrimary(ResourceConsole console, JsonElement report, string baselineName)
    {
        var table = new Table().RoundedBorder().Title($"Primary endpoints (vs {baselineName})")
            .AddColumns("Arm", "Seed pairs", "Mean OOD gain (pts) [[95% CI]]", "p", "Held-out trait mean Δ (pts) [[95% CI]]", "p", "Seed-level sig. better/worse", "Power per benchmark", "Capability Δ (pts)", "Refusals (arm / baseline)");
        var conditional = false;
        foreach (var row in report.GetProperty("headline").EnumerateArray())
        {
            conditional |= row.GetProperty("conditionalOnRuns").GetBoolean();
            // Null (not absent) with one seed pair: no seed-level test was run.
            var better = row.TryGetProperty("seedLevelSignificantImprovements", out var b) && b.ValueKind == JsonValueKind.Number ? b.GetInt32() : (int?)null;
            var worse = row.TryGetProperty("seedLevelSignificantRegressions", out var w) && w.ValueKind == JsonValueKind.Number ? w.GetInt32() : (int?)null;
            var effect = ExperimentMainJob.Number(row.GetProperty("powerEffectPoints"));
            table.AddRow(
                Markup.Escape(row.GetProperty("arm").GetString() ?? ""),
                row.GetProperty("seedPairs").GetInt32().ToString(CultureInfo.InvariantCulture),
                Markup.Escape(Interval(row, "oodGain")),
                F(ExperimentMainJob.Number(row.GetProperty("oodGainP")), "0.000"),
                Markup.Escape(Interval(row, "heldOutGain")),
                F(ExperimentMainJob.Number(row.GetProperty("heldOutGainP")), "0.000"),
                better is not null && worse is not null ? $"{better}/{worse}" : "not tested",
                double.IsFinite(ExperimentMainJob.Number(row.GetProperty("meanPower")))
                    ? $"{F(ExperimentMainJob.Number(row.GetProperty("meanPowerAdjusted")) * 100, "0")}–{F(ExperimentMainJob.Number(row.GetProperty("meanPower")) * 100, "0")}% at {F(effect, "0")} pts"
                    : "n/a (1 seed pair)",
                F(ExperimentMainJob.Number(row.GetProperty("capabilityChangePoints")), Signed),
                $"{Percent(ExperimentMainJob.Number(row.GetProperty("treatmentRefusalRate")))} / {Percent(ExperimentMainJob.Number(row.GetProperty("baselineRefusalRate")))}");
        }

        console.Render(table);
        if (conditional)
            console.Warn("one seed pair: intervals are item-level and conditional on these runs — they describe these two runs, not the method; no p-value is claimed.");
        else
            console.Info("intervals are seed-level t across seed pairs (the training run is the unit); BH counts are secondary, shown with their power.");
    }

    private static string Interval(JsonElement row, string prefix) =>
        $"{F(ExperimentMainJob.Number(row.GetProperty(prefix + "Points")), Signed)} [{F(ExperimentMainJob.Number(row.GetProperty(prefix + "Lower")), "0.0")}, {F(ExperimentMainJob.Number(row.GetProperty(prefix + "Upper")), "0.0")}]";

    /// <summary>
    /// A signed change to one decimal. The third section matters: with two, a small negative value that rounds to zero
    /// prints as "-+0.0" (the first section, negated).
    /// </summary>
    internal const string Signed = "+0.0;-0.0;0.0";

    /// <summary>A share as a percentage to one decimal, or "n/a" (without a percent sign) when it was not measured.</summary>
    private static string Percent(double share) => double.IsFinite(share) ? F(share * 100, "0.0") + "%" : "n/a";

    /// <summary>A number in the invariant culture, or "n/a" when it is not finite.</summary>
    internal static string F(double value, string format) => double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "n/a";
}
