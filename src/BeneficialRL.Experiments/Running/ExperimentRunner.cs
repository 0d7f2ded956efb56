using System.Diagnostics;
using BeneficialRL.Experiments.Analysis;
using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Evaluation;
using BeneficialRL.Experiments.Reports;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Experiments.Running;

/// <summary>
/// Chains the stages in one process: base model → training runs (arm × seed, checkpoints every K
/// steps, each evaluated on a held-out subset) → evaluation of final checkpoints → persistence tests
/// (when asked for) → analysis → report.
/// It is the reference the grains reproduce stage by stage, and what tests and the bench run.
/// </summary>
public static class ExperimentRunner
{
    /// <summary>Runs <paramref name="definition"/> end to end, writing every artifact to <paramref name="sink"/>.</summary>
    /// <param name="definition">A definition; validated first.</param>
    /// <param name="sink">Where artifacts go.</param>
    /// <param name="progress">Stage progress.</param>
    /// <param name="cancellationToken">Stops between steps and benchmark batches.</param>
    /// <param name="experimentId">Artifact id; defaults to the definition's name.</param>
    public static async Task<ExperimentOutcome> RunInProcessAsync(
        ExperimentDefinition definition,
        IArtifactSink sink,
        IProgress<StageProgress>? progress,
        CancellationToken cancellationToken,
        string? experimentId = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(sink);
        ExperimentValidator.ThrowIfInvalid(definition);
        var id = experimentId ?? definition.Name;
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        await sink.WriteJsonAsync(TenantBlobLayout.ExperimentDefinition(id), definition, cancellationToken).ConfigureAwait(false);

        var clock = Stopwatch.StartNew();
        var baseModel = await BaseModelStage.RunAsync(definition, sink, progress, cancellationToken).ConfigureAwait(false);
        seconds[StageNames.BaseModel] = clock.Elapsed.TotalSeconds;

        using var baseCheckpoint = await BaseModelStage.LoadAsync(baseModel, sink, cancellationToken).ConfigureAwait(false);
        var (suite, curveSuite, curveItems, evaluateCurves) = EvaluationPlan.For(definition.Evaluation);

        clock.Restart();
        var records = new List<TrainingStepRecord>();
        var curvePoints = new List<CheckpointEvaluation>();
        var finals = new List<(string Arm, long Seed, long Step, byte[] Tar)>();
        CheckpointEvaluation? baseCurve = evaluateCurves
            ? await EvaluationStage.EvaluateAsync(baseCheckpoint, "base", 0, 0, curveSuite, definition.Evaluation, curveItems, null, cancellationToken).ConfigureAwait(false)
            : null;
        var totalSteps = (long)definition.Arms.Count * definition.Seeds.Count * definition.Budget.Steps;
        long stepsDone = 0;
        foreach (var arm in definition.Arms)
        {
            foreach (var seed in definition.Seeds)
            {
                var request = new TrainingRunRequest(id, definition, arm.Name, seed);
                var runRecords = new List<TrainingStepRecord>();
                if (baseCurve is not null)
                {
                    curvePoints.Add(baseCurve with { Arm = arm.Name, Seed = seed });
                }

                await TrainingRunStage.RunAsync(
                    request,
                    baseCheckpoint,
                    resumeFrom: null,
                    onStep: record =>
                    {
                        runRecords.Add(record);
                        stepsDone++;
                        progress?.Report(new StageProgress(StageNames.Training, TenantBlobLayout.RunKey(arm.Name, seed), stepsDone, totalSteps,
                            $"{arm.Name} seed {seed} step {record.Step + 1}: reward {record.MeanReward:0.000}, KL {record.Kl:0.0000}"));
                    },
                    onCheckpoint: async (checkpoint, ct) =>
                    {
                        var tar = await ToTarAsync(checkpoint.Checkpoint, ct).ConfigureAwait(false);
                        await sink.WriteBytesAsync(TenantBlobLayout.CheckpointArchive(CheckpointIds.RunFolder(id, arm.Name, seed, checkpoint.Step)), tar, "application/x-tar", ct).ConfigureAwait(false);
                        if (evaluateCurves)
                        {
                            var evaluation = await EvaluationStage.EvaluateAsync(checkpoint.Checkpoint, arm.Name, seed, checkpoint.Step, curveSuite, definition.Evaluation, curveItems, null, ct).ConfigureAwait(false);
                            curvePoints.Add(evaluation);
                        }

                        if (checkpoint.Final)
                        {
                            finals.Add((arm.Name, seed, checkpoint.Step, tar));
                        }
                    },
                    cancellationToken).ConfigureAwait(false);
                records.AddRange(runRecords);
                await sink.WriteJsonLinesAsync(TenantBlobLayout.RunMetrics(id, arm.Name, seed), runRecords, cancellationToken).ConfigureAwait(false);
            }
        }

        seconds[StageNames.Training] = clock.Elapsed.TotalSeconds;

        clock.Restart();
        var finalEvaluations = new List<CheckpointEvaluation>();
        foreach (var (arm, seed, step, tar) in finals)
        {
            using var checkpoint = await Checkpoint.LoadAsync(new MemoryStream(tar), cancellationToken).ConfigureAwait(false);
            var evaluation = await EvaluationStage.EvaluateAsync(checkpoint, arm, seed, step, suite, definition.Evaluation, null, progress, cancellationToken).ConfigureAwait(false);
            await sink.WriteJsonAsync(TenantBlobLayout.RunEvaluation(id, arm, seed, step), evaluation, cancellationToken).ConfigureAwait(false);
            finalEvaluations.Add(evaluation);
        }

        seconds[StageNames.Evaluation] = clock.Elapsed.TotalSeconds;

        Durability.Running.PersistenceResult? persistence = null;
        if (definition.Persistence is not null)
        {
            clock.Restart();
            var loaded = new Dictionary<string, Checkpoint>(StringComparer.Ordinal);
            try
            {
                foreach (var (arm, _, _, tar) in finals.Where(f => f.Seed == definition.Seeds[0]))
                {
                    loaded[arm] = await Checkpoint.LoadAsync(new MemoryStream(tar), cancellationToken).ConfigureAwait(false);
                }

                persistence = await PersistenceStage.RunAsync(definition, baseCheckpoint, loaded, async (dose, ct) =>
                {
                    var tar = await ToTarAsync(dose.Checkpoint, ct).ConfigureAwait(false);
                    await sink.WriteBytesAsync(TenantBlobLayout.CheckpointArchive(CheckpointIds.DoseFolder(id, dose.Lineage.Subject, dose.Lineage.Dose)), tar, "application/x-tar", ct).ConfigureAwait(false);
                }, progress, cancellationToken).ConfigureAwait(false);
                await sink.WriteJsonAsync(TenantBlobLayout.ExperimentPersistence(id), persistence, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                foreach (var checkpoint in loaded.Values)
                {
                    checkpoint.Dispose();
                }
            }

            seconds[StageNames.Persistence] = clock.Elapsed.TotalSeconds;
        }

        clock.Restart();
        progress?.Report(new StageProgress(StageNames.Analysis, "analysis", 0, 1, "Welch tests, BH q-values, bootstrap CIs"));
        var analysis = await Task.Run(() => AnalysisStage.Analyze(definition, finalEvaluations, curvePoints, records), cancellationToken).ConfigureAwait(false);
        await sink.WriteJsonAsync(TenantBlobLayout.ExperimentAnalysis(id), analysis, cancellationToken).ConfigureAwait(false);
        seconds[StageNames.Analysis] = clock.Elapsed.TotalSeconds;
        progress?.Report(new StageProgress(StageNames.Analysis, "analysis", 1, 1, "analysis done"));

        clock.Restart();
        var report = await ReportStage.RunAsync(id, definition, baseModel, analysis, new Dictionary<string, double>(seconds) { [StageNames.Report] = 0 }, sink, cancellationToken, persistence).ConfigureAwait(false);
        seconds[StageNames.Report] = clock.Elapsed.TotalSeconds;
        progress?.Report(new StageProgress(StageNames.Report, "report", 1, 1, $"report written to {TenantBlobLayout.Report(id, ReportStage.HtmlFile)}"));
        return new ExperimentOutcome(id, baseModel, analysis, report, seconds);
    }

    /// <summary>Serialises a checkpoint (with its trainer state) to tar bytes.</summary>
    public static async Task<byte[]> ToTarAsync(Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        using var buffer = new MemoryStream();
        await checkpoint.SaveAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
