namespace BeneficialRL.Experiments.Specs;

/// <summary>Statistics settings of the analysis stage.</summary>
public sealed record AnalysisSpec
{
    /// <summary>False-discovery rate for Benjamini–Hochberg.</summary>
    public double FalseDiscoveryRate { get; init; } = 0.05;

    /// <summary>Bootstrap resamples per interval.</summary>
    public int BootstrapResamples { get; init; } = 2000;

    /// <summary>Root seed of the bootstrap.</summary>
    public int Seed { get; init; } = 20251;

    /// <summary>Checkpoints per window of the reward-hacking alarm.</summary>
    public int RewardHackingWindow { get; init; } = 3;

    /// <summary>
    /// Positive control at the analysis level: a known shift added to the non-baseline arms' item scores on a share of
    /// the OOD alignment benchmarks before any statistic is computed, which the analysis must find. Null (the default)
    /// for every real comparison; a report with a planted effect names the planted benchmarks.
    /// </summary>
    public PlantedEffectSpec? PlantedEffect { get; init; }
}

/// <summary>A planted effect: <see cref="Points"/> added to every item score of <see cref="Share"/> of the OOD alignment benchmarks.</summary>
public sealed record PlantedEffectSpec
{
    /// <summary>Points (of 100) added to each item score, clamped to [0, 1].</summary>
    public double Points { get; init; } = 5;

    /// <summary>Share of the OOD alignment benchmarks that get the shift (at least one).</summary>
    public double Share { get; init; } = 0.3;

    /// <summary>Seeds which benchmarks are chosen.</summary>
    public int Seed { get; init; } = 7;
}
