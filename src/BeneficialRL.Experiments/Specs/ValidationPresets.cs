namespace BeneficialRL.Experiments.Specs;

/// <summary>
/// The experiments of the main job's <c>validate-testbed</c> set (docs/science.md §5, "validate-testbed"): the test bed's
/// linked-world comparison, the null world, the A/A and the planted effect, each its full preset with 20 GRPO steps instead
/// of 30 so the four fit about an hour on two cores. Everything else is the full preset's (world, judge, benchmarks, base
/// model, evaluation, seeds and per-step hyper-parameters), so each base checkpoint is the full preset's, found by its spec
/// hash: the A/A and the planted control share one (their arms are the same), and the A/A's power is that of the full
/// test bed's items and seeds.
/// </summary>
public static class ValidationPresets
{
    /// <summary>GRPO steps of a validation run (the full test bed runs 30).</summary>
    public const int Steps = 20;

    /// <summary>The set, in the order the main job runs it: the planted control after the A/A, whose base checkpoint it reuses.</summary>
    public static IReadOnlyList<string> Names { get; } = ["validate-testbed-linked", "validate-control-null-world", "validate-control-aa", "validate-control-planted"];

    /// <summary>The validation-sized variant <paramref name="name"/> (<c>validate-</c> + the full preset's name).</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static ExperimentDefinition Get(string name)
    {
        if (!Names.Contains(name, StringComparer.Ordinal))
            throw new ArgumentException($"Unknown validation preset '{name}'; expected one of {string.Join(", ", Names)}.", nameof(name));
        var full = ExperimentPresets.Get(name["validate-".Length..]);
        return full with { Name = name, Budget = full.Budget with { Steps = Steps } };
    }
}
