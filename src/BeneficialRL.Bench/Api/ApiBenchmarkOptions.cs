using System.Globalization;

namespace BeneficialRL.Bench.Api;

/// <summary>The <c>api</c> benchmark's options.</summary>
/// <param name="Duration">Measured time per load generator.</param>
/// <param name="Warmup">Load before measuring, so JIT, connection pools and grain activation are warm.</param>
/// <param name="Connections">Concurrent connections.</param>
/// <param name="UseWrk">Whether wrk runs too (it needs the Debian package).</param>
public sealed record ApiBenchmarkOptions(TimeSpan Duration, TimeSpan Warmup, int Connections, bool UseWrk)
{
    /// <summary>Parses <c>--duration s</c>, <c>--warmup s</c>, <c>--connections n</c>, <c>--no-wrk</c>.</summary>
    /// <exception cref="ArgumentException">An unknown option or a value that is not a positive integer; the message names it.</exception>
    public static ApiBenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ApiBenchmarkOptions(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(5), 32, UseWrk: true);
        for (var i = 0; i < args.Count; i++)
        {
            options = args[i] switch
            {
                "--duration" => options with { Duration = TimeSpan.FromSeconds(PositiveInteger(args, ++i)) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(PositiveInteger(args, ++i)) },
                "--connections" => options with { Connections = PositiveInteger(args, ++i) },
                "--no-wrk" => options with { UseWrk = false },
                var unknown => throw new ArgumentException($"Unknown option '{unknown}' for the api benchmark: use --duration, --warmup, --connections or --no-wrk.", nameof(args)),
            };
        }

        return options;
    }

    private static int PositiveInteger(IReadOnlyList<string> args, int index)
    {
        var name = args[index - 1];
        return index < args.Count && int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"Option '{name}' needs a positive integer.", nameof(args));
    }
}
