namespace BeneficialRL.Experiments.Specs;

/// <summary>
/// The pre-RL supervised stage. Its corpus mixes beneficial and failure reference responses of
/// training scenarios (so RL has behaviours to select between) with solved standard tasks.
/// </summary>
public sealed record BaseSftSpec
{
    /// <summary>Optimizer steps.</summary>
    public int Steps { get; init; } = 200;

    /// <summary>Examples per step.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 2e-3;

    /// <summary>Training scenarios per trait × domain cell in the corpus.</summary>
    public int ScenariosPerCell { get; init; } = 2;

    /// <summary>Standard tasks per family in the corpus.</summary>
    public int StandardTasksPerFamily { get; init; } = 150;

    /// <summary>Failure responses kept per scenario beside its beneficial one (the corpus's share of bad behaviour).</summary>
    public int FailuresPerScenario { get; init; } = 1;

    /// <summary>Seeds the corpus and the model initialisation.</summary>
    public long Seed { get; init; } = 11;
}
