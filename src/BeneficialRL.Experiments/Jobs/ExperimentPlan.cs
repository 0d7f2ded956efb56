using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Experiments.Jobs;

/// <summary>
/// The stages of an experiment and the jobs of each, in order; a stage starts when every job of the previous one
/// completed. The one plan both hosts follow: the experiment grain (a job grain per job, run by trainer silos) and
/// <see cref="Running.ExperimentRunner"/> (in this process, for tests and the perf harness).
/// </summary>
public static class ExperimentPlan
{
    /// <summary>Stages of <paramref name="definition"/>: base model → training runs → evaluations → persistence (when asked for) → report.</summary>
    public static IReadOnlyList<(string Stage, IReadOnlyList<ExperimentJobSpec> Jobs)> Stages(ExperimentDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var runs = definition.Arms.SelectMany(a => definition.Seeds.Select(s => (Arm: a.Name, Seed: s))).ToList();
        var stages = new List<(string, IReadOnlyList<ExperimentJobSpec>)>
        {
            (StageNames.BaseModel, [new ExperimentJobSpec("base", StageNames.BaseModel)]),
            (StageNames.Training, [.. runs.Select(r => new ExperimentJobSpec($"train.{TenantBlobLayout.RunKey(r.Arm, r.Seed)}", StageNames.Training, r.Arm, r.Seed))]),
            (StageNames.Evaluation, [.. runs.Select(r => new ExperimentJobSpec($"eval.{TenantBlobLayout.RunKey(r.Arm, r.Seed)}", StageNames.Evaluation, r.Arm, r.Seed))]),
        };
        if (definition.Persistence is not null)
        {
            stages.Add((StageNames.Persistence, [new ExperimentJobSpec("persistence", StageNames.Persistence)]));
        }

        stages.Add((StageNames.Report, [new ExperimentJobSpec("report", StageNames.Report)]));
        return stages;
    }
}
