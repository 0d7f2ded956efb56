using BeneficialRL.Contracts.Experiments;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Grains.Experiments;

/// <summary>The stages of an experiment and the jobs of each, in order; a stage starts when every job of the previous one completed.</summary>
public static class ExperimentPlan
{
    /// <summary>Stages of <paramref name="definition"/>: base model → training runs → evaluations → persistence (when asked for) → report.</summary>
    public static IReadOnlyList<(string Stage, IReadOnlyList<ExperimentJobRequest> Jobs)> Stages(ExperimentDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var runs = definition.Arms.SelectMany(a => definition.Seeds.Select(s => (Arm: a.Name, Seed: s))).ToList();
        var stages = new List<(string, IReadOnlyList<ExperimentJobRequest>)>
        {
            (StageNames.BaseModel, [new ExperimentJobRequest { Name = "base", Kind = ExperimentJobKind.BaseModel, Stage = StageNames.BaseModel }]),
            (StageNames.Training, [.. runs.Select(r => new ExperimentJobRequest
            {
                Name = $"train.{TenantBlobLayout.RunKey(r.Arm, r.Seed)}", Kind = ExperimentJobKind.TrainingRun, Stage = StageNames.Training, Arm = r.Arm, Seed = r.Seed,
            })]),
            (StageNames.Evaluation, [.. runs.Select(r => new ExperimentJobRequest
            {
                Name = $"eval.{TenantBlobLayout.RunKey(r.Arm, r.Seed)}", Kind = ExperimentJobKind.Evaluation, Stage = StageNames.Evaluation, Arm = r.Arm, Seed = r.Seed,
            })]),
        };
        if (definition.Persistence is not null)
        {
            stages.Add((StageNames.Persistence, [new ExperimentJobRequest { Name = "persistence", Kind = ExperimentJobKind.Persistence, Stage = StageNames.Persistence }]));
        }

        stages.Add((StageNames.Report, [new ExperimentJobRequest { Name = "report", Kind = ExperimentJobKind.Report, Stage = StageNames.Report }]));
        return stages;
    }
}
