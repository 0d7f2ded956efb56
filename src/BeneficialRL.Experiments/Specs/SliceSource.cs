namespace BeneficialRL.Experiments.Specs;

/// <summary>Where a slice's prompts come from.</summary>
public enum SliceSource
{
    /// <summary>The built-in scenario generator's training split, filtered by domain, trait and pressure.</summary>
    Scenarios,

    /// <summary>An uploaded scenario set, read through the artifact store as <c>scenarios/{id}.jsonl</c>.</summary>
    ScenarioSet,

    /// <summary>Verifiable standard tasks (arithmetic, format following, extraction).</summary>
    StandardTasks,
}
