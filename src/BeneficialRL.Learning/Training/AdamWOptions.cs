namespace BeneficialRL.Learning.Training;

/// <summary>Hyper-parameters of <see cref="AdamWOptimizer"/> (the learning rate comes from the schedule each step).</summary>
public sealed record AdamWOptions
{
    /// <summary>First-moment decay.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Second-moment decay.</summary>
    public double Beta2 { get; init; } = 0.95;

    /// <summary>Added to the denominator for stability.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Decoupled weight decay, applied to matrices only (not norms).</summary>
    public double WeightDecay { get; init; } = 0.0;
}
