using BeneficialRL.Experiments.Analysis;
using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Compute;
using BeneficialRL.Experiments.Evaluation;
using BeneficialRL.Experiments.Reports;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Experiments.Jobs;

/// <summary>
/// Last stage: gathers every run's metrics, curve points and final evaluation from storage, runs the
/// analysis and writes the report (JSON, HTML, PNGs) under <see cref="TenantBlobLayout.Report"/>.
/// </summary>
public static class ReportJob
{
    /// <summary>Runs the job; returns the name of the report's JSON.</summary>
    public static async Task<string> RunAsync(IExperimentJobHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var (definition, id, sink) = (host.Definition, host.ExperimentId, host.Artifacts);
        var baseResult = await sink.ReadJsonAsync<BaseModelResult>(TenantBlobLayout.ExperimentBase(id), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"The base stage of experiment '{id}' left no record.");
        var finals = new List<CheckpointEvaluation>();
        var curves = new List<CheckpointEvaluation>();
        var records = new List<TrainingStepRecord>();
        foreach (var arm in definition.Arms)
        {
            var steps = ComputeMatching.EffectiveBudget(definition, arm).Steps;
            foreach (var seed in definition.Seeds)
            {
                records.AddRange(await sink.ReadJsonLinesAsync<TrainingStepRecord>(TenantBlobLayout.RunMetrics(id, arm.Name, seed), cancellationToken).ConfigureAwait(false));
                finals.Add(await sink.ReadJsonAsync<CheckpointEvaluation>(TenantBlobLayout.RunEvaluation(id, arm.Name, seed, steps), cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidDataException($"Run {TenantBlobLayout.RunKey(arm.Name, seed)} has no final evaluation."));
                curves.AddRange(await RunCurves.LoadAsync(sink, id, arm.Name, seed, definition.Budget.CheckpointEvery, steps, cancellationToken).ConfigureAwait(false));
            }
        }

        host.Progress.Report(new StageProgress(StageNames.Analysis, "analysis", 0, 2, "seed-level paired tests, BH q-values, bootstrap CIs"));
        var analysis = await Task.Run(() => AnalysisStage.Analyze(definition, finals, curves, records), cancellationToken).ConfigureAwait(false);
        await sink.WriteJsonAsync(TenantBlobLayout.ExperimentAnalysis(id), analysis, cancellationToken).ConfigureAwait(false);

        var seconds = await host.StageSecondsAsync(cancellationToken).ConfigureAwait(false);
        host.Progress.Report(new StageProgress(StageNames.Report, "report", 1, 2, "rendering the report"));
        var persistence = definition.Persistence is null ? null
            : await sink.ReadJsonAsync<Durability.Running.PersistenceResult>(TenantBlobLayout.ExperimentPersistence(id), cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"The persistence stage of experiment '{id}' left no result.");
        await ReportStage.RunAsync(id, definition, baseResult, analysis, seconds, sink, cancellationToken, persistence).ConfigureAwait(false);
        host.Progress.Report(new StageProgress(StageNames.Report, "report", 2, 2, $"report written to {TenantBlobLayout.Report(id, ReportStage.HtmlFile)}"));
        return TenantBlobLayout.Report(id, ReportStage.JsonFile);
    }
}
