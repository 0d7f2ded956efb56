using BeneficialRL.Analysis.Descriptive;
using BeneficialRL.Analysis.SeedLevel;

namespace BeneficialRL.Analysis.Validation;

/// <summary>How one pass criterion came out.</summary>
public enum ValidationOutcome
{
    /// <summary>Measured, and the criterion held.</summary>
    Passed,

    /// <summary>Measured, and the criterion did not hold.</summary>
    Failed,

    /// <summary>Measured, but a failed pre-flight check of the same experiment blocks it: not a finding either way.</summary>
    Blocked,

    /// <summary>Not measurable: the experiment did not complete, the suite was not run, or one seed pair gave no seed-level interval.</summary>
    NotMeasured,
}

/// <summary>One measured value of a row, named by the experiment it comes from.</summary>
/// <param name="Experiment">The preset (or arm) the value belongs to.</param>
/// <param name="Value">The value: a check's measurement, an endpoint's estimate in points, or a count of discoveries.</param>
/// <param name="Interval">The seed-level 95% interval, when the value is an endpoint estimate.</param>
/// <param name="Passed">Whether this value meets the row's criterion.</param>
public sealed record ValidationValue(string Experiment, double Value, ConfidenceInterval? Interval, bool Passed);

/// <summary>One row of the pass table: a control (or a pre-flight check), its criterion, what was measured and the outcome.</summary>
/// <param name="Control">The control or check, e.g. <c>A/A</c> or <c>pre-flight: judge-dynamic-range</c>.</param>
/// <param name="Criterion">What passing means (docs/science.md §4–§5).</param>
/// <param name="Values">The measured values (one per experiment for a pre-flight check).</param>
/// <param name="Outcome">Passed, failed, blocked or not measured.</param>
/// <param name="Detail">What the values are, why it failed, or what blocked it.</param>
public sealed record ValidationRow(string Control, string Criterion, IReadOnlyList<ValidationValue> Values, ValidationOutcome Outcome, string Detail);

/// <summary>
/// The seed spread and the power of the A/A run: every figure read from its seed-level reports. The between-seed SD is
/// that of the paired difference of a seed pair beyond item noise (<see cref="SeedLevelEstimate.BetweenSeedStandardDeviationPoints"/>).
/// </summary>
/// <param name="Preset">The A/A preset the figures come from.</param>
/// <param name="SeedPairs">Seed pairs behind them.</param>
/// <param name="Benchmarks">OOD alignment benchmarks with a between-seed SD.</param>
/// <param name="BenchmarkSdMedian">Median over benchmarks of the between-seed SD, in points (null without benchmarks).</param>
/// <param name="BenchmarkSdMin">Smallest per-benchmark between-seed SD.</param>
/// <param name="BenchmarkSdMax">Largest per-benchmark between-seed SD.</param>
/// <param name="OodEndpointSd">Between-seed SD of the mean OOD gain (primary endpoint a), in points.</param>
/// <param name="HeldOutEndpointSd">Between-seed SD of the held-out trait mean Δ (primary endpoint b), in points.</param>
/// <param name="EffectPoints">The effect the power is computed for, in points.</param>
/// <param name="BenchmarkPower">Mean per-benchmark power of the seed-level test at the unadjusted level (upper bound for BH).</param>
/// <param name="BenchmarkPowerAdjusted">The same at the Bonferroni level (lower bound for BH).</param>
/// <param name="OodEndpointPower">Power of the mean OOD gain's seed-level test for that effect.</param>
/// <param name="HeldOutEndpointPower">Power of the held-out trait mean Δ's seed-level test for that effect.</param>
public sealed record SeedSpread(
    string Preset,
    int SeedPairs,
    int Benchmarks,
    double? BenchmarkSdMedian,
    double? BenchmarkSdMin,
    double? BenchmarkSdMax,
    double? OodEndpointSd,
    double? HeldOutEndpointSd,
    double EffectPoints,
    double? BenchmarkPower,
    double? BenchmarkPowerAdjusted,
    double? OodEndpointPower,
    double? HeldOutEndpointPower);

/// <summary>A treatment-vs-baseline primary endpoint in one world, reported whatever it shows (not a pass criterion).</summary>
/// <param name="World">The world's role (linked or null).</param>
/// <param name="Preset">The preset it ran.</param>
/// <param name="Arm">The treatment arm.</param>
/// <param name="Estimate">The report's seed-level estimate of the endpoint.</param>
/// <param name="Blocked">True when a failed pre-flight check of that experiment makes it not a finding.</param>
public sealed record TreatmentEndpoint(ValidationRole World, string Preset, string Arm, SeedLevelEstimate Estimate, bool Blocked);

/// <summary>The validation set's result: the pass table, the A/A seed spread and power, and the treatment endpoints of both worlds.</summary>
/// <param name="Rows">Pre-flight rows first (they block the rest), then the controls.</param>
/// <param name="Spread">Seed spread and power from the A/A run (null when it did not complete).</param>
/// <param name="Treatment">Treatment-vs-baseline primary endpoints per world.</param>
public sealed record ValidationTable(IReadOnlyList<ValidationRow> Rows, SeedSpread? Spread, IReadOnlyList<TreatmentEndpoint> Treatment)
{
    /// <summary>The test bed passes only when every row passed: a blocked or unmeasured control is not a pass.</summary>
    public bool Passed => Rows.Count > 0 && Rows.All(r => r.Outcome == ValidationOutcome.Passed);
}
