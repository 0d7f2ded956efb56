namespace BeneficialRL.Experiments.Specs;

/// <summary>
/// Upper bounds a service puts on a definition before queueing it: individual fields (steps, seeds) and the total
/// RL cost (<see cref="CostOf"/>). A plain record so the engine never sees the host's configuration; the silo host
/// fills it per tenant and passes it to <see cref="ExperimentValidator.Validate"/>.
/// </summary>
/// <param name="MaxSteps">Most GRPO steps (<c>budget.steps</c>, each arm's budget) and base SFT steps.</param>
/// <param name="MaxSeeds">Most training seeds.</param>
/// <param name="MaxCost">Most rollout tokens an experiment may ask for, as <see cref="CostOf"/> counts them.</param>
public sealed record ExperimentLimits(int MaxSteps, int MaxSeeds, long MaxCost)
{
    /// <summary>
    /// Bounds every preset fits (paper-main with three arms costs about 8.8e7 rollout tokens) while refusing the
    /// absurd (int.MaxValue steps, thousands of seeds).
    /// </summary>
    public static ExperimentLimits Default { get; } = new(MaxSteps: 10_000, MaxSeeds: 20, MaxCost: 250_000_000);

    /// <summary>
    /// The RL cost of <paramref name="definition"/> in rollout tokens: arms × seeds × steps × prompts per step × group
    /// size × max new tokens. Arms are counted because every arm trains once per seed with the same budget (compute
    /// matching); counted in double so int.MaxValue fields cannot overflow.
    /// </summary>
    public static double CostOf(ExperimentDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var b = definition.Budget;
        return (double)Math.Max(1, definition.Arms.Count) * Math.Max(1, definition.Seeds.Count)
            * Math.Max(0, b.Steps) * Math.Max(0, b.PromptsPerStep) * Math.Max(0, b.GroupSize) * Math.Max(0, b.MaxNewTokens);
    }
}
