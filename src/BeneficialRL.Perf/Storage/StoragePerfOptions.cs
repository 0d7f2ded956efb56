using System.Globalization;

namespace BeneficialRL.Perf.Storage;

/// <summary>Command-line options of <see cref="StoragePerf"/>.</summary>
/// <param name="Operations">Sequential write/read operations measured (after a warm-up).</param>
/// <param name="Grains">Grains writing and reading concurrently in the concurrent phase.</param>
/// <param name="RoundTripsPerGrain">Write+read round trips each concurrent grain performs.</param>
/// <param name="ArtifactMebibytes">Size of the uploaded and downloaded artifact.</param>
/// <param name="OnDisk">Run Azurite with on-disk persistence instead of in memory.</param>
internal sealed record StoragePerfOptions(int Operations, int Grains, int RoundTripsPerGrain, int ArtifactMebibytes, bool OnDisk)
{
    /// <summary>Parses <c>--ops N</c>, <c>--grains N</c>, <c>--per-grain N</c>, <c>--size-mib N</c>, <c>--disk</c>.</summary>
    /// <exception cref="ArgumentException">An option is unknown or its value is not a positive integer.</exception>
    public static StoragePerfOptions Parse(IReadOnlyList<string> args)
    {
        var options = new StoragePerfOptions(Operations: 500, Grains: 16, RoundTripsPerGrain: 50, ArtifactMebibytes: 256, OnDisk: false);
        for (var i = 0; i < args.Count; i++)
        {
            options = args[i] switch
            {
                "--ops" => options with { Operations = PositiveInteger(args, ++i) },
                "--grains" => options with { Grains = PositiveInteger(args, ++i) },
                "--per-grain" => options with { RoundTripsPerGrain = PositiveInteger(args, ++i) },
                "--size-mib" => options with { ArtifactMebibytes = PositiveInteger(args, ++i) },
                "--disk" => options with { OnDisk = true },
                var unknown => throw new ArgumentException($"Unknown storage benchmark option '{unknown}': use --ops, --grains, --per-grain, --size-mib or --disk."),
            };
        }

        return options;
    }

    private static int PositiveInteger(IReadOnlyList<string> args, int index)
    {
        if (index >= args.Count || !int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw new ArgumentException($"Storage benchmark option '{args[index - 1]}' needs a positive integer value.");
        }

        return value;
    }
}
