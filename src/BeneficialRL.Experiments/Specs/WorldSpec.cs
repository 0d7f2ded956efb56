namespace BeneficialRL.Experiments.Specs;

/// <summary>
/// The built-in world the base model is trained in (<c>docs/science.md</c> §1). Only the base corpus depends on it:
/// the RL pools, benchmarks, held-out suite, judge and analysis are the same for every non-classic world.
/// </summary>
public sealed record WorldSpec
{
    /// <summary>ρ of <see cref="WorldKind.Linked"/> when <see cref="Rho"/> is absent.</summary>
    public const double DefaultLinkedRho = 0.9;

    /// <summary>Which world; <see cref="WorldKind.Classic"/> by default, so definitions written before worlds existed keep their meaning and content address.</summary>
    public WorldKind Kind { get; init; } = WorldKind.Classic;

    /// <summary>Probability that an exchange follows its document's disposition: (0, 1] for linked (default 0.9), 0 or absent for null, absent for classic.</summary>
    public double? Rho { get; init; }

    /// <summary>Share of base-corpus documents that open with a persona cue agreeing with their disposition (linked and null only).</summary>
    public double PersonaShare { get; init; } = 0.1;

    /// <summary>The ρ the corpus is generated with (NaN for classic).</summary>
    public double EffectiveRho => Kind switch
    {
        WorldKind.Linked => Rho ?? DefaultLinkedRho,
        WorldKind.Null => 0,
        _ => double.NaN,
    };

    /// <summary>
    /// Whether the trait slice trains all 15 traits and the 7 evaluated ones are scored on held-out scenarios (linked,
    /// null); in classic the 7 are never trained, and the held-out suite is a trait-level OOD test.
    /// </summary>
    public bool TrainsAllTraits => Kind != WorldKind.Classic;

    /// <summary>What the held-out suite measures in this world, for reports.</summary>
    public string HeldOutSuiteMeaning => TrainsAllTraits ? "held-out scenarios of trained traits" : "trait-level OOD (the 7 traits are never trained)";
}

/// <summary>The built-in worlds.</summary>
public enum WorldKind
{
    /// <summary>The per-prompt mixture of long references over the 8 trained traits (no shared disposition).</summary>
    Classic,

    /// <summary>Documents with a latent disposition linking their exchanges with probability ρ.</summary>
    Linked,

    /// <summary>The linked world's documents with the link cut (ρ = 0): the negative control.</summary>
    Null,
}
