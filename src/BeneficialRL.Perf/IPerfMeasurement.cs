namespace BeneficialRL.Perf;

/// <summary>
/// One named measurement of the perf command. Implementations are discovered by reflection so each
/// area adds its own file without touching the entry point.
/// </summary>
public interface IPerfMeasurement
{
    /// <summary>The command-line name, e.g. <c>learning</c>.</summary>
    string Name { get; }

    /// <summary>One line shown in <c>--help</c>.</summary>
    string Description { get; }

    /// <summary>Runs the benchmark, printing a markdown table of results to <paramref name="output"/>; returns an exit code.</summary>
    Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken);
}
