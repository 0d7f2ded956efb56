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
}
