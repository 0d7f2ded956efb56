namespace BeneficialRL.Durability.Running;

/// <summary>Where the harmful fine-tuning examples come from.</summary>
public enum HarmfulCorpusSource
{
    /// <summary>Training-split scenarios of the domain answered with a typed failure reference (<see cref="FineTuning.HarmfulCorpusBuilder.Build"/>).</summary>
    Scenarios,

    /// <summary>
    /// The misaligned exchanges of the domain's documents of the experiment's own linked or null world
    /// (<see cref="FineTuning.HarmfulCorpusBuilder.FromWorld"/>): the emergent-misalignment control of <c>docs/science.md</c> §5.
    /// Only an experiment can supply the world, so a stand-alone persistence run rejects it.
    /// </summary>
    World,
}
