using System.Globalization;

namespace BeneficialRL.Perf.Api;

/// <summary>The <c>api</c> benchmark's options.</summary>
/// <param name="Duration">Measured time per load generator, connection count and limiter setting.</param>
/// <param name="Warmup">Load before measuring, so JIT, connection pools and grain activation are warm.</param>
/// <param name="Connections">The connection counts <c>GET /api/v1/experiments/{id}</c> is measured at.</param>
/// <param name="UseWrk">Whether wrk runs too (it needs the Debian package).</param>
/// <param name="CompareLimiter">Whether a second silo with the per-tenant rate limiter off is measured beside the one with it on.</param>
/// <param name="FloodDuration">How long the unauthenticated flood of unknown keys lasts (zero skips it).</param>
/// <param name="FloodConnections">Concurrent connections of the flood.</param>
/// <param name="MixedRequests">Mixed requests measured for the working set (zero skips them).</param>
/// <param name="MixedCreates">Most record-only experiments the mixed requests create, warm-up included.</param>
public sealed record ApiPerfOptions(
    TimeSpan Duration,
    TimeSpan Warmup,
    IReadOnlyList<int> Connections,
    bool UseWrk,
    bool CompareLimiter,
    TimeSpan FloodDuration,
    int FloodConnections,
    int MixedRequests,
    int MixedCreates)
{
    /// <summary>The defaults: 15 s per measurement, 5 s warm-up, 32 and 256 connections, wrk, limiter on and off, a 10 s flood at 32 connections, 10,000 mixed requests creating at most 200 experiments.</summary>
    public static ApiPerfOptions Default { get; } = new(
        TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(5), [32, 256], UseWrk: true, CompareLimiter: true,
        FloodDuration: TimeSpan.FromSeconds(10), FloodConnections: 32, MixedRequests: 10_000, MixedCreates: 200);

    /// <summary>
    /// Parses <c>--duration s</c>, <c>--warmup s</c>, <c>--connections n[,n…]</c>, <c>--no-wrk</c>, <c>--no-limiter-off</c>,
    /// <c>--flood s</c>, <c>--flood-connections n</c>, <c>--mixed n</c> and <c>--mixed-creates n</c>.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown option or a value out of range; the message names it.</exception>
    public static ApiPerfOptions Parse(IReadOnlyList<string> args)
    {
        var options = Default;
        for (var i = 0; i < args.Count; i++)
        {
            options = args[i] switch
            {
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Integer(args, ++i, minimum: 1)) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(Integer(args, ++i, minimum: 1)) },
                "--connections" => options with { Connections = IntegerList(args, ++i) },
                "--no-wrk" => options with { UseWrk = false },
                "--no-limiter-off" => options with { CompareLimiter = false },
                "--flood" => options with { FloodDuration = TimeSpan.FromSeconds(Integer(args, ++i, minimum: 0)) },
                "--flood-connections" => options with { FloodConnections = Integer(args, ++i, minimum: 1) },
                "--mixed" => options with { MixedRequests = Integer(args, ++i, minimum: 0) },
                "--mixed-creates" => options with { MixedCreates = Integer(args, ++i, minimum: 0) },
                var unknown => throw new ArgumentException(
                    $"Unknown option '{unknown}' for the api benchmark: use --duration, --warmup, --connections, --no-wrk, --no-limiter-off, --flood, --flood-connections, --mixed or --mixed-creates.",
                    nameof(args)),
            };
        }

        return options;
    }

    private static int Integer(IReadOnlyList<string> args, int index, int minimum)
    {
        var name = args[index - 1];
        return index < args.Count && int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : throw new ArgumentException($"Option '{name}' needs an integer of at least {minimum}.", nameof(args));
    }

    private static int[] IntegerList(IReadOnlyList<string> args, int index)
    {
        var name = args[index - 1];
        var values = index < args.Count ? args[index].Split(',') : [];
        return values.Length > 0 && values.All(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
            ? [.. values.Select(v => int.Parse(v, CultureInfo.InvariantCulture))]
            : throw new ArgumentException($"Option '{name}' needs positive integers separated by commas, e.g. 32,256.", nameof(args));
    }
}
