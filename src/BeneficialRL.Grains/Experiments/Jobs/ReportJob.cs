using BeneficialRL.Experiments.Analysis;
using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Compute;
using BeneficialRL.Experiments.Evaluation;
using BeneficialRL.Experiments.Reports;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Grains.Experiments.Jobs;

/// <summary>
/// Last stage: gathers every run's metrics, curve points and final evaluation from storage, runs the
/// analysis and writes the report (JSON, HTML, PNGs) under <see cref="TenantBlobLayout.Report"/>.
/// </summary>
internal static class ReportJob
{
    public static async Task<string> RunAsync(ExperimentJobContext context, CancellationToken cancellationToken)
    {
        var (definition, id, sink) = (context.Definition, context.ExperimentId, context.Sink);
        var baseResult = await sink.ReadJsonAsync<BaseModelResult>(TenantBlobLayout.ExperimentBase(id), cancellationToken)
            ?? throw new InvalidDataException($"The base stage of experiment '{id}' left no record.");
        var finals = new List<CheckpointEvaluation>();
        var curves = new List<CheckpointEvaluation>();
        var records = new List<TrainingStepRecord>();
        foreach (var arm in definition.Arms)
        {
            var steps = ComputeMatching.EffectiveBudget(definition, arm).Steps;
            foreach (var seed in definition.Seeds)
            {
                records.AddRange(await sink.ReadJsonLinesAsync<TrainingStepRecord>(TenantBlobLayout.RunMetrics(id, arm.Name, seed), cancellationToken));
                finals.Add(await sink.ReadJsonAsync<CheckpointEvaluation>(TenantBlobLayout.RunEvaluation(id, arm.Name, seed, steps), cancellationToken)
                    ?? throw new InvalidDataException($"Run {TenantBlobLayout.RunKey(arm.Name, seed)} has no final evaluation."));
                curves.AddRange(await RunCurves.LoadAsync(sink, id, arm.Name, seed, definition.Budget.CheckpointEvery, steps, cancellationToken));
            }
        }

        context.Progress.Report(new StageProgress(StageNames.Analysis, "analysis", 0, 2, "Welch tests, BH q-values, bootstrap CIs"));
        var analysis = AnalysisStage.Analyze(definition, finals, curves, records);
        await sink.WriteJsonAsync(TenantBlobLayout.ExperimentAnalysis(id), analysis, cancellationToken);

        var experiment = await context.Experiment.GetAsync();
        var seconds = (experiment?.Stages ?? []).Where(s => s.Seconds is not null).ToDictionary(s => s.Name, s => s.Seconds!.Value, StringComparer.Ordinal);
        context.Progress.Report(new StageProgress(StageNames.Report, "report", 1, 2, "rendering the report"));
        var persistence = definition.Persistence is null ? null
            : await sink.ReadJsonAsync<BeneficialRL.Durability.Running.PersistenceResult>(TenantBlobLayout.ExperimentPersistence(id), cancellationToken)
                ?? throw new InvalidDataException($"The persistence stage of experiment '{id}' left no result.");
        await ReportStage.RunAsync(id, definition, baseResult, analysis, seconds, sink, cancellationToken, persistence);
        return sink.PathOf(TenantBlobLayout.Report(id, ReportStage.JsonFile));
    }
}
