using System.Globalization;
using BeneficialRL.Experiments.Analysis;
using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Compute;
using BeneficialRL.Experiments.Evaluation;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Primitives.Layout;
using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Experiments.Jobs;

/// <summary>
/// Stage 2: one arm × seed of GRPO. Every K steps the checkpoint (with trainer state) is stored and published
/// as a checkpoint resource whose parent is the previous one, the step metrics so far are rewritten, the
/// checkpoint is scored on the held-out curve subset, and the reward-hacking alarm is checked — all before the
/// host records the checkpoint, so a resumed attempt finds everything its checkpoint implies. A resumed attempt
/// continues from the job's last checkpoint; the steps it repeats reproduce the lost ones exactly (the engine's
/// resume is bit-identical).
/// </summary>
public static class TrainingRunJob
{
    /// <summary>Runs the job; returns the name of the run's metrics.</summary>
    public static async Task<string> RunAsync(IExperimentJobHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var (definition, id, sink) = (host.Definition, host.ExperimentId, host.Artifacts);
        var (arm, seed) = (host.Job.RequireArm(), host.Job.RequireSeed());
        var runKey = TenantBlobLayout.RunKey(arm, seed);
        var request = new TrainingRunRequest(id, definition, arm, seed);
        var steps = ComputeMatching.EffectiveBudget(definition, request.ArmSpec).Steps;
        var baseResult = await sink.ReadJsonAsync<BaseModelResult>(TenantBlobLayout.ExperimentBase(id), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"The base stage of experiment '{id}' left no record.");
        using var baseCheckpoint = await BaseModelStage.LoadAsync(baseResult, sink, cancellationToken).ConfigureAwait(false);
        var parentId = definition.StartingModel.CheckpointId ?? CheckpointIds.Base(baseResult.SpecHash);

        Checkpoint? resumeFrom = null;
        var records = new List<TrainingStepRecord>();
        var samples = new List<SampledGroupsRecord>(); // written with the next checkpoint, like the metrics
        if (host.ResumePoint is { Step: > 0 } resume)
        {
            var tar = await sink.ReadBytesAsync(TenantBlobLayout.CheckpointArchive(CheckpointIds.RunFolder(id, arm, seed, resume.Step)), cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"Run {runKey} recorded a checkpoint at step {resume.Step} that is not in storage.");
            resumeFrom = await Checkpoint.LoadAsync(new MemoryStream(tar), cancellationToken).ConfigureAwait(false);
            records.AddRange((await sink.ReadJsonLinesAsync<TrainingStepRecord>(TenantBlobLayout.RunMetrics(id, arm, seed), cancellationToken).ConfigureAwait(false)).Where(r => r.Step < resume.Step));
            parentId = resume.CheckpointId;
        }

        using var resumed = resumeFrom;
        var plan = EvaluationPlan.For(definition.Evaluation);
        var curve = await RunCurves.LoadAsync(sink, id, arm, seed, definition.Budget.CheckpointEvery, host.ResumePoint?.Step ?? 0, cancellationToken).ConfigureAwait(false);
        var alarmed = false;
        var scenarioSets = await LoadScenarioSetsAsync(host, request.ArmSpec, cancellationToken).ConfigureAwait(false);

        await TrainingRunStage.RunAsync(
            request,
            baseCheckpoint,
            resumeFrom,
            onStep: record =>
            {
                records.Add(record);
                host.TrainingStepCompleted(record);
                host.Progress.Report(new StageProgress(StageNames.Training, runKey, record.Step + 1, steps,
                    $"{runKey} step {record.Step + 1}/{steps}: reward {record.MeanReward:0.000}, KL {record.Kl:0.0000}"));
            },
            onCheckpoint: async (saved, ct) =>
            {
                var folderKey = CheckpointIds.RunFolder(id, arm, seed, saved.Step);
                await CheckpointArtifacts.WriteArchiveAsync(sink, saved.Checkpoint, folderKey, ct).ConfigureAwait(false);
                var checkpointId = CheckpointIds.Run(id, arm, seed, saved.Step);
                var files = await CheckpointArtifacts.WriteWeightsAsync(sink, saved.Checkpoint, folderKey, ct).ConfigureAwait(false);
                await host.PublishCheckpointAsync(new CheckpointPublication(checkpointId, $"{runKey} step {saved.Step}", parentId, "grpo", saved.Step,
                    new Dictionary<string, string> { ["arm"] = arm, ["seed"] = seed.ToString(CultureInfo.InvariantCulture), ["final"] = saved.Final ? "true" : "false" }, files), ct).ConfigureAwait(false);
                parentId = checkpointId;
                await sink.WriteJsonLinesAsync(TenantBlobLayout.RunMetrics(id, arm, seed), records, ct).ConfigureAwait(false);
                await WriteSamplesAsync(sink, id, samples, ct).ConfigureAwait(false);
                if (plan.EvaluateCurves)
                {
                    host.Progress.Report(new StageProgress(StageNames.Training, runKey, saved.Step, steps, $"{runKey} step {saved.Step}: held-out curve evaluation"));
                    var evaluation = await EvaluationStage.EvaluateAsync(saved.Checkpoint, arm, seed, saved.Step, plan.CurveSuite, definition.Evaluation, plan.CurveItems, null, ct).ConfigureAwait(false);
                    await sink.WriteJsonAsync(TenantBlobLayout.RunCurve(id, arm, seed, saved.Step), evaluation, ct).ConfigureAwait(false);
                    curve.Add(evaluation);
                    alarmed |= await CheckRewardHackingAsync(host, request.ArmSpec, runKey, curve, records, saved.Step, alarmed, ct).ConfigureAwait(false);
                }

                await host.RecordCheckpointAsync(new JobCheckpoint(saved.Step, checkpointId), ct).ConfigureAwait(false);
            },
            cancellationToken,
            scenarioSets is null ? null : setId => scenarioSets[setId],
            onSamples: samples.Add).ConfigureAwait(false);

        await sink.WriteJsonLinesAsync(TenantBlobLayout.RunMetrics(id, arm, seed), records, cancellationToken).ConfigureAwait(false);
        await WriteSamplesAsync(sink, id, samples, cancellationToken).ConfigureAwait(false);
        return TenantBlobLayout.RunMetrics(id, arm, seed);
    }

    /// <summary>Stores the sampled groups recorded since the last write, one replaceable file per step (a resumed run writes the same).</summary>
    private static async Task WriteSamplesAsync(IArtifactSink sink, string id, List<SampledGroupsRecord> samples, CancellationToken cancellationToken)
    {
        foreach (var record in samples)
        {
            await sink.WriteJsonAsync(TenantBlobLayout.RunSamples(id, record.Arm, record.Seed, record.Step), record, cancellationToken).ConfigureAwait(false);
        }

        samples.Clear();
    }

    /// <summary>Raises the alarm once per attempt when the trait slice's train reward rose while the held-out score fell over the configured window.</summary>
    private static async Task<bool> CheckRewardHackingAsync(
        IExperimentJobHost host, ArmSpec arm, string runKey, List<CheckpointEvaluation> curve, List<TrainingStepRecord> records, long step, bool alreadyRaised, CancellationToken cancellationToken)
    {
        var points = new List<CurvePoint>();
        long previous = 0;
        // The alarm watches the trait slice's reward (RewardHackingAlarm.TrainReward), not the whole mixture's.
        var traitSlice = RewardHackingAlarm.TraitSliceOf(arm);
        foreach (var evaluation in curve.OrderBy(c => c.Step))
        {
            var rewards = records.Where(r => r.Step >= previous && r.Step < evaluation.Step).Select(r => RewardHackingAlarm.TrainReward(r, traitSlice)).Where(double.IsFinite).ToList();
            points.Add(new CurvePoint(evaluation.Step, rewards.Count > 0 ? rewards.Average() : double.NaN, evaluation.HeldOutMean));
            previous = evaluation.Step;
        }

        var verdict = RewardHackingAlarm.Detect(points, host.Definition.Analysis.RewardHackingWindow);
        if (!verdict.Fired || alreadyRaised) return verdict.Fired;
        var window = verdict.Windows[^1];
        await host.RaiseAlarmAsync(new JobAlarm("reward-hacking", runKey, step,
            $"{runKey}: trait-slice training reward rose by {window.RewardChange:+0.000;-0.000} while the held-out trait score fell by {-window.HeldOutChange:0.000} between steps {window.FromStep} and {window.ToStep}."),
            cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Uploaded scenario sets the arm reads, at their newest version when the run starts.</summary>
    private static async Task<Dictionary<string, IReadOnlyList<Scenario>>?> LoadScenarioSetsAsync(IExperimentJobHost host, ArmSpec arm, CancellationToken cancellationToken)
    {
        var ids = arm.Slices.Where(s => s.Source == SliceSource.ScenarioSet && s.ScenarioSetId is not null).Select(s => s.ScenarioSetId!).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0) return null;
        var sets = new Dictionary<string, IReadOnlyList<Scenario>>(StringComparer.Ordinal);
        foreach (var setId in ids)
        {
            sets[setId] = await host.LoadScenarioSetAsync(setId, cancellationToken).ConfigureAwait(false);
        }

        return sets;
    }
}
