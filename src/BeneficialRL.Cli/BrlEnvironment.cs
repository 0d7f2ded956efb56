using Spectre.Console;

namespace BeneficialRL.Cli;

/// <summary>
/// What <c>brl</c> reads and writes besides its arguments: standard output and error, environment variables, and how
/// it opens a file. Tests run the tool in-process with their own.
/// </summary>
/// <param name="Out">Standard output: results (tables, or JSON with <c>--json</c>).</param>
/// <param name="Error">Standard error: problems and progress notes.</param>
/// <param name="Variable">Reads an environment variable (<c>BRL_URL</c>, <c>BRL_API_KEY</c>).</param>
/// <param name="Open">Opens a local file with the desktop's default application (<c>report --open</c>).</param>
/// <param name="IsTerminal">Whether <paramref name="Out"/> is a terminal (colours, live progress).</param>
public sealed record BrlEnvironment(TextWriter Out, TextWriter Error, Func<string, string?> Variable, Action<string> Open, bool IsTerminal)
{
    /// <summary>The process's console and environment.</summary>
    public static BrlEnvironment FromProcess() =>
        new(System.Console.Out, System.Console.Error, Environment.GetEnvironmentVariable, OpenWithShell, !System.Console.IsOutputRedirected);

    /// <summary>A Spectre console over <see cref="Out"/>: plain and unwrapped unless it is a terminal, so scripts can parse it.</summary>
    public IAnsiConsole OutConsole() => Create(Out);

    /// <summary>A Spectre console over <see cref="Error"/>.</summary>
    public IAnsiConsole ErrorConsole() => Create(Error);

    private IAnsiConsole Create(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = IsTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!IsTerminal) console.Profile.Width = 4096;
        return console;
    }

    private static void OpenWithShell(string path)
    {
        // The report page needs the API key, so brl opens the downloaded copy, not the URL.
        var opener = OperatingSystem.IsWindows() ? "explorer" : OperatingSystem.IsMacOS() ? "open" : "xdg-open";
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(opener, [path]) { UseShellExecute = false });
    }
}
