using System.Globalization;
using BeneficialRL.AppHost.Terminal;
using BeneficialRL.Contracts.Api;
using Spectre.Console;

namespace BeneficialRL.AppHost.Experiments;

/// <summary>Wall time of each stage an experiment went through.</summary>
public static class StageTable
{
    /// <summary>Renders an experiment's <paramref name="stages"/>.</summary>
    public static void Render(ResourceConsole console, IReadOnlyList<StageResource> stages)
    {
        var table = new Table().RoundedBorder().Title("Stages").AddColumns("Stage", "Wall time (s)");
        var total = 0.0;
        foreach (var stage in stages)
        {
            total += stage.Seconds ?? 0;
            table.AddRow(Markup.Escape(stage.Name), stage.Seconds?.ToString("0.0", CultureInfo.InvariantCulture) ?? "unfinished");
        }

        table.AddRow("[bold]total[/]", $"[bold]{total.ToString("0.0", CultureInfo.InvariantCulture)}[/]");
        console.Render(table);
    }
}
