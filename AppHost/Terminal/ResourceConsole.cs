using Spectre.Console;

namespace BeneficialRL.AppHost.Terminal;

/// <summary>
/// The AppHost's one console: every child's output line prefixed with its resource name in the resource's colour,
/// serialised so lines from concurrent children never interleave mid-line.
/// </summary>
public sealed class ResourceConsole
{
    private static readonly string[] Palette = ["green", "yellow", "magenta", "cyan", "orange1", "springgreen2", "mediumpurple1"];

    private readonly IAnsiConsole _console;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _colours = new(StringComparer.Ordinal)
    {
        ["apphost"] = "grey",
        ["azurite"] = "deepskyblue1",
        ["redis"] = "red",
    };

    /// <summary>Wraps <paramref name="console"/>; when output is redirected, lines are never wrapped at 80 columns.</summary>
    public ResourceConsole(IAnsiConsole console)
    {
        _console = console;
        if (Console.IsOutputRedirected)
        {
            // Spectre wraps at the profile width (80 when redirected), which would split log lines for whoever parses them.
            _console.Profile.Width = 4096;
        }
    }

    /// <summary>The underlying console, for panels and tables.</summary>
    public IAnsiConsole Ansi => _console;

    /// <summary>Writes one line of <paramref name="resource"/>'s output, escaped: child output is never markup.</summary>
    public void Line(string resource, string text) => Write(resource, Markup.Escape(text));

    /// <summary>Writes one line of the AppHost's own, already in Spectre markup.</summary>
    public void Info(string markup) => Write("apphost", markup);

    /// <summary>Writes a warning line of the AppHost's own (plain text, escaped).</summary>
    public void Warn(string text) => Write("apphost", $"[yellow]{Markup.Escape(text)}[/]");

    /// <summary>Writes an error line of the AppHost's own (plain text, escaped).</summary>
    public void Error(string text) => Write("apphost", $"[red]{Markup.Escape(text)}[/]");

    /// <summary>Writes a renderable (panel, table) as one block.</summary>
    public void Render(Spectre.Console.Rendering.IRenderable renderable)
    {
        lock (_gate)
        {
            _console.Write(renderable);
        }
    }

    private void Write(string resource, string markup)
    {
        lock (_gate)
        {
            var colour = ColourOf(resource);
            _console.MarkupLine($"[{colour}]{Markup.Escape($"[{resource}]")}[/] {markup}");
        }
    }

    private string ColourOf(string resource)
    {
        if (!_colours.TryGetValue(resource, out var colour))
        {
            colour = Palette[_colours.Count % Palette.Length];
            _colours[resource] = colour;
        }

        return colour;
    }
}
