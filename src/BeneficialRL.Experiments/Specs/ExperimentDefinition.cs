namespace BeneficialRL.Experiments.Specs;

/// <summary>
/// One experiment: a starting model, at least two compute-matched arms (one baseline, one or more
/// treatments), seeds, the RL budget, evaluation and analysis settings. Serialised with
/// <see cref="ExperimentJson.Options"/> (camelCase) and validated by <see cref="ExperimentValidator"/>.
/// </summary>
public sealed record ExperimentDefinition
{
    /// <summary>Human-readable name (e.g. the preset it came from).</summary>
    public string Name { get; init; } = "experiment";

    /// <summary>Where the policy starts.</summary>
    public StartingModelSpec StartingModel { get; init; } = new();

    /// <summary>The built-in world of the base corpus (classic by default; see <see cref="WorldSpec"/>).</summary>
    public WorldSpec World { get; init; } = new();

    /// <summary>The arms; exactly one has <see cref="ArmRole.Baseline"/>.</summary>
    public IReadOnlyList<ArmSpec> Arms { get; init; } = [];

    /// <summary>Training seeds; every arm runs once per seed.</summary>
    public IReadOnlyList<long> Seeds { get; init; } = [1];

    /// <summary>The RL budget shared by every arm.</summary>
    public RlBudget Budget { get; init; } = new();

    /// <summary>What is evaluated, and how often.</summary>
    public EvaluationSpec Evaluation { get; init; } = new();

    /// <summary>Statistics settings.</summary>
    public AnalysisSpec Analysis { get; init; } = new();

    /// <summary>
    /// Persistence tests after training (adversarial personas and transforms, harmful fine-tuning dose ladders) on the
    /// pre-RL checkpoint and every arm's final checkpoint of the first seed, against the baseline; null to skip them.
    /// </summary>
    public Durability.Running.PersistenceSpec? Persistence { get; init; }
}
