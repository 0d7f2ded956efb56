namespace BeneficialRL.Experiments.Specs;

/// <summary>
/// One arm: a data mixture of slices whose shares sum to 1. The optional overrides exist so that a
/// spec which tries to give one arm more compute is caught by <see cref="Compute.ComputeMatching"/>
/// rather than silently accepted.
/// </summary>
public sealed record ArmSpec
{
    /// <summary>Unique name, e.g. <c>treatment</c>; used in artifact paths (lowercase letters, digits, '-').</summary>
    public string Name { get; init; } = "";

    /// <summary>Baseline or treatment.</summary>
    public ArmRole Role { get; init; } = ArmRole.Treatment;

    /// <summary>The mixture.</summary>
    public IReadOnlyList<SliceSpec> Slices { get; init; } = [];

    /// <summary>Per-arm starting checkpoint; must equal the experiment's (null = the experiment's).</summary>
    public string? StartingCheckpointId { get; init; }

    /// <summary>Per-arm seeds; must equal the experiment's (null = the experiment's).</summary>
    public IReadOnlyList<long>? Seeds { get; init; }

    /// <summary>
    /// Added to the experiment's seed for this arm's sampling and GRPO draws (0 = the shared seed, as treatment and
    /// baseline use for common random numbers). An A/A control gives its second arm an offset, so the two arms are
    /// independent training runs on identical data.
    /// </summary>
    public long SeedOffset { get; init; }

    /// <summary>Per-arm budget; its compute fields must equal the experiment's (null = the experiment's).</summary>
    public RlBudget? Budget { get; init; }
}
