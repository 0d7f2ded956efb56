using System.Globalization;
using BeneficialRL.Analysis.Descriptive;
using BeneficialRL.Analysis.SeedLevel;

namespace BeneficialRL.Analysis.Validation;

/// <summary>
/// The test bed's pass table (docs/science.md §4–§5, "validate-testbed"): the pre-flight checks of every experiment of the
/// validation set, then each control's criterion on the seed-level intervals its report holds. A failed pre-flight check
/// blocks the controls of its experiment (shown as blocked, never as a pass); a control whose experiment did not complete,
/// or whose interval is only item-level (one seed pair), is not measured. The A/A run also gives the seed spread and the
/// power; the treatment endpoints of both worlds are listed whatever they show. Pure: reports in, rows out.
/// </summary>
public static class TestbedValidation
{
    /// <summary>Evaluates the completed experiments of the set; a role with no experiment gives "not measured" rows.</summary>
    /// <param name="experiments">At most one experiment per role.</param>
    /// <exception cref="ArgumentException">Two experiments share a role.</exception>
    public static ValidationTable Evaluate(IEnumerable<ValidationExperiment> experiments)
    {
        ArgumentNullException.ThrowIfNull(experiments);
        var byRole = new Dictionary<ValidationRole, ValidationExperiment>();
        foreach (var experiment in experiments)
        {
            ArgumentNullException.ThrowIfNull(experiment, nameof(experiments));
            if (!byRole.TryAdd(experiment.Role, experiment))
                throw new ArgumentException($"Two experiments play the role {experiment.Role}: '{byRole[experiment.Role].Preset}' and '{experiment.Preset}'.", nameof(experiments));
        }

        var ordered = Enum.GetValues<ValidationRole>().Where(byRole.ContainsKey).Select(r => byRole[r]).ToList();
        var aa = byRole.GetValueOrDefault(ValidationRole.AaControl);
        var planted = byRole.GetValueOrDefault(ValidationRole.PlantedEffect);
        var nullWorld = byRole.GetValueOrDefault(ValidationRole.NullWorld);
        List<ValidationRow> rows =
        [
            .. PreflightRows(ordered),
            Discoveries(aa),
            Endpoint("A/A", "mean OOD gain: seed-level 95% CI contains 0", aa, e => e.Ood, ContainsZero),
            Endpoint("A/A", "held-out trait mean Δ: seed-level 95% CI contains 0", aa, e => e.HeldOut, ContainsZero),
            Endpoint("planted effect", "mean OOD gain: seed-level 95% CI above 0", planted, e => e.Ood, ci => ci.Lower > 0, PlantedDetail(planted)),
            Endpoint("null world", "mean OOD gain: seed-level 95% CI contains 0 (in-distribution trait gains are allowed)", nullWorld, e => e.Ood, ContainsZero),
        ];
        return new ValidationTable(rows, Spread(aa), [.. Treatments(byRole.GetValueOrDefault(ValidationRole.LinkedWorld)), .. Treatments(nullWorld)]);
    }

    private static bool ContainsZero(ConfidenceInterval interval) => interval.Contains(0);

    /// <summary>One row per pre-flight check, its value in every experiment: a failure anywhere fails the row (and blocks that experiment).</summary>
    private static IEnumerable<ValidationRow> PreflightRows(IReadOnlyList<ValidationExperiment> experiments)
    {
        foreach (var experiment in experiments.Where(e => e.Preflight.Count == 0))
            yield return new ValidationRow("pre-flight", "every check of docs/science.md §4 is in the report", [], ValidationOutcome.NotMeasured, $"{experiment.Preset}: the report holds no pre-flight checks.");

        var names = experiments.SelectMany(e => e.Preflight.Select(c => c.Name)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var name in names)
        {
            var checks = experiments.SelectMany(e => e.Preflight.Where(c => c.Name == name).Select(c => (e.Preset, Check: c))).ToList();
            var failed = checks.Where(c => !c.Check.Passed).ToList();
            yield return new ValidationRow(
                $"pre-flight: {name}",
                checks[0].Check.Criterion,
                [.. checks.Select(c => new ValidationValue(c.Preset, c.Check.Value, null, c.Check.Passed))],
                failed.Count == 0 ? ValidationOutcome.Passed : ValidationOutcome.Failed,
                failed.Count == 0 ? "passed in every experiment" : "blocks the headline of " + string.Join("; ", failed.Select(c => $"{c.Preset} ({c.Check.Detail})")));
        }
    }

    /// <summary>A/A: no seed-level BH discovery on the OOD benchmarks or the held-out traits.</summary>
    private static ValidationRow Discoveries(ValidationExperiment? aa)
    {
        const string Control = "A/A";
        if (aa is null) return NotMeasured(Control, "no seed-level BH discovery", "the A/A experiment did not complete.");
        var families = new[] { ("OOD benchmarks", aa.Ood), ("held-out traits", aa.HeldOut) }.Where(f => f.Item2 is not null).ToList();
        var fdr = families.Count > 0 ? families[0].Item2!.FalseDiscoveryRate : 0.05;
        var criterion = string.Create(CultureInfo.InvariantCulture, $"no seed-level BH discovery at q = {fdr:0.##}");
        if (families.Count == 0) return NotMeasured(Control, criterion, $"{aa.Preset}: neither suite was run.");
        if (families.Any(f => f.Item2!.ConditionalOnRuns))
            return NotMeasured(Control, criterion, $"{aa.Preset}: one seed pair, so no seed-level test was run.");
        var values = families.Select(f => new ValidationValue($"{aa.Preset} ({f.Item1})", f.Item2!.SignificantImprovements + f.Item2.SignificantRegressions, null,
            f.Item2.SignificantImprovements + f.Item2.SignificantRegressions == 0)).ToList();
        var detail = string.Join("; ", families.Select(f => $"{f.Item1}: {f.Item2!.SignificantImprovements} better, {f.Item2.SignificantRegressions} worse of {f.Item2.Benchmarks.Count}"));
        return Judged(Control, criterion, values, aa, detail);
    }

    private static ValidationRow Endpoint(string control, string criterion, ValidationExperiment? experiment, Func<ValidationExperiment, SeedLevelReport?> family, Func<ConfidenceInterval, bool> holds, string? detail = null)
    {
        if (experiment is null) return NotMeasured(control, criterion, $"the {control} experiment did not complete.");
        if (family(experiment) is not { } report) return NotMeasured(control, criterion, $"{experiment.Preset}: the suite was not run.");
        var endpoint = report.Endpoint;
        if (endpoint.SeedLevelInterval is not { } interval)
        {
            var item = endpoint.ItemLevelInterval;
            return NotMeasured(control, criterion, string.Create(CultureInfo.InvariantCulture,
                $"{experiment.Preset}: {endpoint.SeedPairs} seed pair, no seed-level interval (item-level [{item.Lower:0.0}, {item.Upper:0.0}] is {SeedLevelAnalysis.ConditionalLabel})."));
        }

        var value = new ValidationValue($"{experiment.Preset} ({experiment.Arm})", endpoint.EstimatePoints, interval, holds(interval));
        return Judged(control, criterion, [value], experiment, detail ?? endpoint.Label);
    }

    /// <summary>Passed or failed on the values, unless a failed pre-flight check of the experiment blocks the row.</summary>
    private static ValidationRow Judged(string control, string criterion, IReadOnlyList<ValidationValue> values, ValidationExperiment experiment, string detail)
    {
        var holds = values.All(v => v.Passed);
        if (experiment.FailedChecks is { Count: > 0 } failed)
        {
            return new ValidationRow(control, criterion, values, ValidationOutcome.Blocked,
                $"not a finding: pre-flight failed in {experiment.Preset} ({string.Join(", ", failed.Select(c => c.Name))}); the criterion {(holds ? "held" : "did not hold")}. {detail}");
        }

        return new ValidationRow(control, criterion, values, holds ? ValidationOutcome.Passed : ValidationOutcome.Failed, detail);
    }

    private static ValidationRow NotMeasured(string control, string criterion, string why) => new(control, criterion, [], ValidationOutcome.NotMeasured, why);

    private static string? PlantedDetail(ValidationExperiment? planted) =>
        planted?.Ood is { } ood && planted.PlantedBenchmarks > 0
            ? $"planted on {planted.PlantedBenchmarks} of {ood.Benchmarks.Count} benchmarks; {ood.Endpoint.Label}"
            : null;

    private static SeedSpread? Spread(ValidationExperiment? aa)
    {
        if (aa?.Ood is not { } ood) return null;
        var sds = ood.Benchmarks.Select(b => b.BetweenSeedStandardDeviationPoints).OfType<double>().Order().ToList();
        return new SeedSpread(
            aa.Preset,
            ood.SeedPairs,
            sds.Count,
            sds.Count == 0 ? null : sds.Count % 2 == 1 ? sds[sds.Count / 2] : (sds[(sds.Count / 2) - 1] + sds[sds.Count / 2]) / 2,
            sds.Count == 0 ? null : sds[0],
            sds.Count == 0 ? null : sds[^1],
            ood.Endpoint.BetweenSeedStandardDeviationPoints,
            aa.HeldOut?.Endpoint.BetweenSeedStandardDeviationPoints,
            ood.PowerEffectPoints,
            ood.MeanPower,
            ood.MeanPowerAdjusted,
            ood.Endpoint.Power,
            aa.HeldOut?.Endpoint.Power);
    }

    private static IEnumerable<TreatmentEndpoint> Treatments(ValidationExperiment? world)
    {
        if (world is null) yield break;
        var blocked = world.FailedChecks.Count > 0;
        foreach (var report in new[] { world.Ood, world.HeldOut }.OfType<SeedLevelReport>())
            yield return new TreatmentEndpoint(world.Role, world.Preset, world.Arm, report.Endpoint, blocked);
    }
}
