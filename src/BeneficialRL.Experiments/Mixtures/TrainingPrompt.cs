using BeneficialRL.Scenarios.Schema;
using BeneficialRL.Scenarios.StandardTasks;

namespace BeneficialRL.Experiments.Mixtures;

/// <summary>A prompt of a slice's pool with what its reward needs: the scenario (rubric) or the standard task (answer).</summary>
/// <param name="Slice">The slice it belongs to.</param>
/// <param name="Id">Scenario or task id.</param>
/// <param name="Scenario">The scenario, for scenario slices.</param>
/// <param name="Task">The task, for standard-task slices.</param>
public sealed record TrainingPrompt(string Slice, string Id, Scenario? Scenario, StandardTask? Task);
