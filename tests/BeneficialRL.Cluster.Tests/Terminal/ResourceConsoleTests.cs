using BeneficialRL.AppHost.Terminal;
using Spectre.Console;

namespace BeneficialRL.Cluster.Tests.Terminal;

public sealed class ResourceConsoleTests
{
    [Fact]
    public void Line_ChildOutputWithMarkupCharacters_IsWrittenVerbatimAfterThePrefix()
    {
        using var writer = new StringWriter();
        var console = new ResourceConsole(PlainConsole(writer));

        console.Line("silo-api", "info: grain [Activation: S127.0.0.1:1/x] done [/] [red]");

        Assert.Equal("[silo-api] info: grain [Activation: S127.0.0.1:1/x] done [/] [red]", writer.ToString().TrimEnd());
    }

    [Fact]
    public void Warn_TextWithBrackets_IsEscaped()
    {
        using var writer = new StringWriter();
        var console = new ResourceConsole(PlainConsole(writer));

        console.Warn("port [5080] is busy");

        Assert.Equal("[apphost] port [5080] is busy", writer.ToString().TrimEnd());
    }

    private static IAnsiConsole PlainConsole(TextWriter writer) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Out = new AnsiConsoleOutput(writer),
    });
}
