using BeneficialRL.Experiments.Specs;

namespace BeneficialRL.Experiments.Compute;

/// <summary>
/// Compute matching before training: every arm must start from the same checkpoint and spend the same
/// seeds, steps, prompts per step, group size and token limits. Violations are validation errors.
/// </summary>
public static class ComputeMatching
{
    /// <summary>Errors for every arm whose effective compute differs from the experiment's.</summary>
    public static IReadOnlyList<ValidationError> Check(ExperimentDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new List<ValidationError>();
        var budget = definition.Budget;
        for (var a = 0; a < definition.Arms.Count; a++)
        {
            var arm = definition.Arms[a];
            var path = $"$.arms[{a}]";
            if (arm.StartingCheckpointId is { } start && !string.Equals(start, definition.StartingModel.CheckpointId, StringComparison.Ordinal))
            {
                errors.Add(new(path + ".startingCheckpointId", $"arm '{arm.Name}' starts from '{start}' but the experiment starts from '{definition.StartingModel.CheckpointId ?? "its base stage"}'; arms must share the starting checkpoint."));
            }

            if (arm.Seeds is { } seeds && !seeds.SequenceEqual(definition.Seeds))
            {
                errors.Add(new(path + ".seeds", $"arm '{arm.Name}' uses seeds [{string.Join(", ", seeds)}] but the experiment uses [{string.Join(", ", definition.Seeds)}]; arms must share the seed list."));
            }

            if (arm.Budget is { } own)
            {
                Compare(own.Steps, budget.Steps, "steps");
                Compare(own.PromptsPerStep, budget.PromptsPerStep, "promptsPerStep");
                Compare(own.GroupSize, budget.GroupSize, "groupSize");
                Compare(own.MaxNewTokens, budget.MaxNewTokens, "maxNewTokens");
            }

            void Compare(int armValue, int experimentValue, string field)
            {
                if (armValue != experimentValue)
                {
                    errors.Add(new($"{path}.budget.{field}", $"arm '{arm.Name}' has {field} {armValue} but the experiment has {experimentValue}; arms must be compute-matched."));
                }
            }
        }

        return errors;
    }

    /// <summary>The budget an arm actually runs with (its own when given and matched, else the experiment's).</summary>
    public static RlBudget EffectiveBudget(ExperimentDefinition definition, ArmSpec arm) => arm.Budget ?? definition.Budget;
}
