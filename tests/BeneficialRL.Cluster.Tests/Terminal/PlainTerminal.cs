using BeneficialRL.AppHost.Terminal;
using Spectre.Console;

namespace BeneficialRL.Cluster.Tests.Terminal;

/// <summary>What a <see cref="ResourceConsole"/> writes, as plain text: no ANSI codes, no colours, wide enough for one line per row.</summary>
internal static class PlainTerminal
{
    /// <summary>Runs <paramref name="render"/> on a plain console <paramref name="width"/> columns wide and returns what it wrote.</summary>
    public static string Capture(Action<ResourceConsole> render, int width = 400)
    {
        using var writer = new StringWriter();
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
        });
        ansi.Profile.Width = width;
        render(new ResourceConsole(ansi));
        return writer.ToString();
    }
}
