using BeneficialRL.Experiments.Specs;

namespace BeneficialRL.Experiments.Stages;

/// <summary>One arm × seed of an experiment: everything a trainer needs besides the checkpoints.</summary>
/// <param name="ExperimentId">The experiment.</param>
/// <param name="Definition">The validated definition.</param>
/// <param name="Arm">Arm name.</param>
/// <param name="Seed">Training seed.</param>
public sealed record TrainingRunRequest(string ExperimentId, ExperimentDefinition Definition, string Arm, long Seed)
{
    /// <summary>The arm's spec; throws naming the arm when it is not in the definition.</summary>
    public ArmSpec ArmSpec => Definition.Arms.FirstOrDefault(a => a.Name == Arm)
        ?? throw new InvalidOperationException($"Experiment '{ExperimentId}' has no arm '{Arm}'.");
}
