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
    private readonly Queue<string> _held = new();
    private bool _holding;
    private int _dropped;

    /// <summary>Most lines kept while held; older ones are dropped (and counted) first.</summary>
    public const int HeldLineLimit = 500;
    private readonly Dictionary<string, string> _colours = new(StringComparer.Ordinal)
    {
        ["apphost"] = "grey",
        ["azurite"] = "deepskyblue1",
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

    /// <summary>
    /// Holds every line back while a live display (progress bars) owns the terminal, so child output cannot
    /// tear it; <see cref="Release"/> prints what was held.
    /// </summary>
    public void Hold()
    {
        lock (_gate)
        {
            _holding = true;
        }
    }

    /// <summary>Prints the lines held since <see cref="Hold"/> (and how many were dropped), then writes through again.</summary>
    public void Release()
    {
        lock (_gate)
        {
            _holding = false;
            if (_dropped > 0) _console.MarkupLine($"[grey]{Markup.Escape($"[apphost] {_dropped} earlier line(s) were dropped while the progress display ran")}[/]");
            while (_held.TryDequeue(out var line)) _console.MarkupLine(line);
            _dropped = 0;
        }
    }

    private void Write(string resource, string markup)
    {
        lock (_gate)
        {
            var colour = ColourOf(resource);
            var line = $"[{colour}]{Markup.Escape($"[{resource}]")}[/] {markup}";
            if (!_holding)
            {
                _console.MarkupLine(line);
                return;
            }

            _held.Enqueue(line);
            if (_held.Count > HeldLineLimit)
            {
                _held.Dequeue();
                _dropped++;
            }
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
