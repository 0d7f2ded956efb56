using BeneficialRL.Analysis.SeedLevel;

namespace BeneficialRL.Analysis.Validation;

/// <summary>The part a report plays in the test bed's validation set (docs/science.md §5, "validate-testbed").</summary>
public enum ValidationRole
{
    /// <summary>Treatment vs baseline in the linked world: reported whatever it shows, no pass criterion of its own.</summary>
    LinkedWorld,

    /// <summary>Treatment vs baseline in the null world: the mean OOD gain CI must contain 0.</summary>
    NullWorld,

    /// <summary>Two baseline arms with different seeds: no discovery, both endpoint CIs contain 0; source of the seed spread and the power.</summary>
    AaControl,

    /// <summary>The A/A with +5 points planted in a share of the benchmarks: the mean OOD gain CI must lie above 0.</summary>
    PlantedEffect,
}

/// <summary>One pre-flight check as the report stores it (docs/science.md §4): base-model checks, then the trait-slice reward after training.</summary>
/// <param name="Name">Short id, e.g. <c>judge-dynamic-range</c>.</param>
/// <param name="Criterion">What passing means, with its threshold.</param>
/// <param name="Value">The measured value (NaN when it could not be measured).</param>
/// <param name="Passed">Whether the criterion held.</param>
/// <param name="Detail">What was measured, and why it failed when it did.</param>
public sealed record PreflightOutcome(string Name, string Criterion, double Value, bool Passed, string Detail);

/// <summary>What the validation reads from one completed experiment's report; nothing here is recomputed.</summary>
/// <param name="Role">The control this experiment is.</param>
/// <param name="Preset">The preset it ran.</param>
/// <param name="Arm">The arm compared with the baseline.</param>
/// <param name="Preflight">Every pre-flight check of the report (empty when the report has none).</param>
/// <param name="Ood">Primary endpoint (a): the arm's seed-level analysis of the OOD alignment benchmarks (null when not run).</param>
/// <param name="HeldOut">Primary endpoint (b): the arm's seed-level analysis of the held-out-scenario traits (null when not run).</param>
/// <param name="PlantedBenchmarks">Benchmarks that carry the planted effect (0 when none was planted).</param>
public sealed record ValidationExperiment(
    ValidationRole Role,
    string Preset,
    string Arm,
    IReadOnlyList<PreflightOutcome> Preflight,
    SeedLevelReport? Ood,
    SeedLevelReport? HeldOut,
    int PlantedBenchmarks = 0)
{
    /// <summary>The failed pre-flight checks: any one blocks this experiment's headline and its controls.</summary>
    public IReadOnlyList<PreflightOutcome> FailedChecks => [.. Preflight.Where(c => !c.Passed)];
}
