namespace BeneficialRL.Experiments.Preflight;

/// <summary>One pre-flight check (docs/science.md §4).</summary>
/// <param name="Name">Short id, e.g. <c>judge-dynamic-range</c>.</param>
/// <param name="Criterion">What passing means, with its threshold.</param>
/// <param name="Value">The measured value (NaN when the check could not be measured).</param>
/// <param name="Passed">Whether the criterion holds.</param>
/// <param name="Detail">What was measured, on what, and why it failed when it did.</param>
public sealed record PreflightCheck(string Name, string Criterion, double Value, bool Passed, string Detail);

/// <summary>The pre-flight checks of an experiment: on the base model before RL, and the trait-slice reward after it.</summary>
/// <param name="Checks">Every check, base-model checks first.</param>
public sealed record PreflightReport(IReadOnlyList<PreflightCheck> Checks)
{
    /// <summary>Whether every check passed.</summary>
    public bool Passed => Checks.All(c => c.Passed);

    /// <summary>Why the headline is blocked (every failed check and its detail), or null when nothing failed.</summary>
    public string? BlockReason => Passed
        ? null
        : "Headline blocked by failed pre-flight checks: " + string.Join("; ", Checks.Where(c => !c.Passed).Select(c => $"{c.Name} ({c.Criterion}): {c.Detail}"));

    /// <summary>This report with <paramref name="more"/> appended.</summary>
    public PreflightReport With(IEnumerable<PreflightCheck> more) => new([.. Checks, .. more]);
}
