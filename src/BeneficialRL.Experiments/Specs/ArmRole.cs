namespace BeneficialRL.Experiments.Specs;

/// <summary>How an arm takes part in the comparison.</summary>
public enum ArmRole
{
    /// <summary>The compute-matched control (standard RL data only); exactly one per experiment.</summary>
    Baseline,

    /// <summary>An arm compared against the baseline.</summary>
    Treatment,
}
