using System.Globalization;
using System.Text.Json;
using BeneficialRL.AppHost.Terminal;
using Spectre.Console;

namespace BeneficialRL.AppHost.Experiments;

/// <summary>Wall time of each stage an experiment went through.</summary>
public static class StageTable
{
    /// <summary>Renders the stages of <paramref name="experiment"/> (an experiment resource).</summary>
    public static void Render(ResourceConsole console, JsonElement experiment)
    {
        var table = new Table().RoundedBorder().Title("Stages").AddColumns("Stage", "Wall time (s)");
        var total = 0.0;
        foreach (var stage in experiment.GetProperty("stages").EnumerateArray())
        {
            var seconds = stage.TryGetProperty("seconds", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : (double?)null;
            total += seconds ?? 0;
            table.AddRow(Markup.Escape(stage.GetProperty("name").GetString() ?? ""), seconds?.ToString("0.0", CultureInfo.InvariantCulture) ?? "unfinished");
        }

        table.AddRow("[bold]total[/]", $"[bold]{total.ToString("0.0", CultureInfo.InvariantCulture)}[/]");
        console.Render(table);
    }
}
