using System.Globalization;
using System.Text.Json;
using BeneficialRL.AppHost.Terminal;
using Spectre.Console;

namespace BeneficialRL.AppHost.Experiments;

/// <summary>The paper's headline per compared arm, and the compute each arm spent, from <c>report.json</c>.</summary>
public static class HeadlineTable
{
    /// <summary>Renders the headline and compute tables of <paramref name="report"/>.</summary>
    public static void Render(ResourceConsole console, JsonElement report)
    {
        var analysis = report.GetProperty("analysis");
        var table = new Table().RoundedBorder().Title($"Headline (vs {Markup.Escape(analysis.GetProperty("baseline").GetString() ?? "baseline")})")
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
                F(ExperimentMainJob.Number(row.GetProperty("meanGainPoints")), "+0.0;-0.0"),
                Markup.Escape($"{F(ExperimentMainJob.Number(row.GetProperty("heldOutDeltaPoints")), "+0.0;-0.0")} [{F(ExperimentMainJob.Number(row.GetProperty("heldOutDeltaLower")), "0.0")}, {F(ExperimentMainJob.Number(row.GetProperty("heldOutDeltaUpper")), "0.0")}]"),
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

    private static string F(double value, string format) => double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "n/a";
}
