using BeneficialRL.Analysis.Validation;
using BeneficialRL.AppHost.Terminal;
using Spectre.Console;

namespace BeneficialRL.AppHost.Experiments;

/// <summary>
/// The end of <c>validate-testbed</c>: one pass table (pre-flight checks first, then the controls), the verdict, the A/A's seed
/// spread and power, and the treatment endpoints of both worlds, labelled as reported whatever they show.
/// </summary>
public static class ValidationTableView
{
    /// <summary>Renders <paramref name="table"/>.</summary>
    public static void Render(ResourceConsole console, ValidationTable table)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(table);
        var pass = new Table().RoundedBorder().Title("Test-bed validation: pass table (docs/science.md §4–§5)")
            .AddColumns("Control", "Passes when", "Measured", "Result", "Detail");
        foreach (var row in table.Rows)
        {
            pass.AddRow(
                Markup.Escape(row.Control),
                Markup.Escape(row.Criterion),
                Markup.Escape(row.Values.Count == 0 ? "–" : string.Join("; ", row.Values.Select(Value))),
                Outcome(row.Outcome),
                Markup.Escape(row.Detail));
        }

        console.Render(pass);
        var counts = table.Rows.GroupBy(r => r.Outcome).ToDictionary(g => g.Key, g => g.Count());
        if (table.Passed)
            console.Info("[green]the test bed passes: every pre-flight check and every control met its criterion.[/]");
        else
            console.Warn($"the test bed does not pass: {counts.GetValueOrDefault(ValidationOutcome.Failed)} failed, {counts.GetValueOrDefault(ValidationOutcome.Blocked)} blocked by a failed pre-flight check, "
                + $"{counts.GetValueOrDefault(ValidationOutcome.NotMeasured)} not measured, of {table.Rows.Count} rows.");
        console.Info("the simulated-data halves of the A/A and planted criteria (false discoveries, coverage, detection vs power) are the analysis path's tests "
            + "(ControlPresetTests); the placebo and emergent-misalignment controls are not part of this set.");

        RenderSpread(console, table.Spread);
        RenderTreatment(console, table.Treatment);
    }

    private static void RenderSpread(ResourceConsole console, SeedSpread? spread)
    {
        if (spread is null)
        {
            console.Warn("no seed spread or power: the A/A experiment did not complete or ran no OOD suite.");
            return;
        }

        var effect = HeadlineTable.F(spread.EffectPoints, "0.#");
        var table = new Table().RoundedBorder()
            .Title(Markup.Escape($"Seed spread and power from the A/A run ({spread.Preset}, {spread.SeedPairs} seed pairs)"))
            .AddColumns("Quantity", "Value");
        table.AddRow("σ between seed pairs, per OOD benchmark", Markup.Escape(spread.BenchmarkSdMedian is { } median
            ? $"median {Points(median)} (range {Points(spread.BenchmarkSdMin)}–{Points(spread.BenchmarkSdMax)}) over {spread.Benchmarks} benchmarks"
            : "n/a (fewer than two seed pairs)"));
        table.AddRow("σ between seed pairs, mean OOD gain", Markup.Escape(Points(spread.OodEndpointSd)));
        table.AddRow("σ between seed pairs, held-out trait mean Δ", Markup.Escape(Points(spread.HeldOutEndpointSd)));
        table.AddRow(Markup.Escape($"power for a {effect}-point effect per benchmark (BH lies between)"), Markup.Escape(
            $"{Percent(spread.BenchmarkPowerAdjusted)} (Bonferroni) – {Percent(spread.BenchmarkPower)} (unadjusted)"));
        table.AddRow(Markup.Escape($"power for a {effect}-point mean OOD gain"), Markup.Escape(Percent(spread.OodEndpointPower)));
        table.AddRow(Markup.Escape($"power for a {effect}-point held-out trait mean Δ"), Markup.Escape(Percent(spread.HeldOutEndpointPower)));
        console.Render(table);
        console.Info("σ is the spread of a seed pair's paired difference beyond item noise (two independent runs, so about √2 × one run's spread); "
            + "power is the seed-level t-test's at these items and seeds.");
    }

    private static void RenderTreatment(ResourceConsole console, IReadOnlyList<TreatmentEndpoint> endpoints)
    {
        if (endpoints.Count == 0)
        {
            console.Warn("no treatment endpoint: neither world's experiment completed.");
            return;
        }

        var table = new Table().RoundedBorder().Title("Treatment vs baseline, primary endpoints per world (reported whatever they show; not a pass criterion)")
            .AddColumns("World", "Experiment (arm)", "Endpoint", "Estimate (pts) [[95% CI]]", "p", "Interval", "Status");
        foreach (var endpoint in endpoints)
        {
            var estimate = endpoint.Estimate;
            var interval = estimate.SeedLevelInterval ?? estimate.ItemLevelInterval;
            table.AddRow(
                endpoint.World == ValidationRole.LinkedWorld ? "linked (ρ = 0.9)" : "null (ρ = 0)",
                Markup.Escape($"{endpoint.Preset} ({endpoint.Arm})"),
                Markup.Escape(estimate.Name),
                Markup.Escape($"{HeadlineTable.F(estimate.EstimatePoints, HeadlineTable.Signed)} [{HeadlineTable.F(interval.Lower, "0.0")}, {HeadlineTable.F(interval.Upper, "0.0")}]"),
                estimate.SeedLevelTest is { } test ? HeadlineTable.F(test.PValue, "0.000") : "none",
                Markup.Escape(estimate.Label),
                endpoint.Blocked ? "[yellow]not a finding[/]: pre-flight failed" : "reported");
        }

        console.Render(table);
    }

    private static string Value(ValidationValue value) => value.Interval is { } ci
        ? $"{value.Experiment}: {HeadlineTable.F(value.Value, HeadlineTable.Signed)} [{HeadlineTable.F(ci.Lower, "0.0")}, {HeadlineTable.F(ci.Upper, "0.0")}] pts"
        : $"{value.Experiment}: {HeadlineTable.F(value.Value, value.Value == Math.Round(value.Value) ? "0" : "0.000")}{(value.Passed ? "" : " (fails)")}";

    private static string Outcome(ValidationOutcome outcome) => outcome switch
    {
        ValidationOutcome.Passed => "[green]passed[/]",
        ValidationOutcome.Failed => "[red]FAILED[/]",
        ValidationOutcome.Blocked => "[yellow]blocked[/]",
        _ => "[grey]not measured[/]",
    };

    private static string Points(double? value) => value is { } v ? HeadlineTable.F(v, "0.0") + " pts" : "n/a";

    private static string Percent(double? value) => value is { } v ? HeadlineTable.F(v * 100, "0") + "%" : "n/a";
}
