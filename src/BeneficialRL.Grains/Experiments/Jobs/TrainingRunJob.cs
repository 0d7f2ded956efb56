using System.Globalization;
using BeneficialRL.Contracts.Experiments;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.ScenarioSets;
using BeneficialRL.Experiments.Analysis;
using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Compute;
using BeneficialRL.Experiments.Evaluation;
using BeneficialRL.Experiments.Running;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Scenarios.Schema;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Grains.Experiments.Jobs;

/// <summary>
/// Stage 2: one arm × seed of GRPO. Every K steps the checkpoint (with trainer state) goes to blob storage
/// and becomes a checkpoint resource whose parent is the previous one, the step metrics so far are
/// rewritten, the checkpoint is scored on the held-out curve subset, and the reward-hacking alarm is
/// checked — all before the job grain records the checkpoint, so a resumed attempt finds everything
/// its checkpoint implies. A resumed attempt continues from the job's last checkpoint; the steps it
/// repeats reproduce the lost ones exactly (the engine's resume is bit-identical).
/// </summary>
internal static class TrainingRunJob
{
    public static async Task<string> RunAsync(ExperimentJobContext context, CancellationToken cancellationToken)
    {
        var (definition, id, sink) = (context.Definition, context.ExperimentId, context.Sink);
        var arm = context.Job.Request.Arm ?? throw new InvalidDataException($"Job '{context.Job.Request.Name}' names no arm.");
        var seed = context.Job.Request.Seed ?? throw new InvalidDataException($"Job '{context.Job.Request.Name}' names no seed.");
        var runKey = TenantBlobLayout.RunKey(arm, seed);
        var request = new TrainingRunRequest(id, definition, arm, seed);
        var steps = ComputeMatching.EffectiveBudget(definition, request.ArmSpec).Steps;
        var baseResult = await sink.ReadJsonAsync<BaseModelResult>(TenantBlobLayout.ExperimentBase(id), cancellationToken)
            ?? throw new InvalidDataException($"The base stage of experiment '{id}' left no record.");
        using var baseCheckpoint = await BaseModelStage.LoadAsync(baseResult, sink, cancellationToken);
        var parentId = definition.StartingModel.CheckpointId ?? CheckpointIds.Base(baseResult.SpecHash);

        Checkpoint? resumeFrom = null;
        var records = new List<TrainingStepRecord>();
        var samples = new List<SampledGroupsRecord>(); // written with the next checkpoint, like the metrics
        if (context.Job.LastCheckpointStep is { } resumeStep && resumeStep > 0)
        {
            var tar = await sink.ReadBytesAsync(TenantBlobLayout.CheckpointArchive(CheckpointIds.RunFolder(id, arm, seed, resumeStep)), cancellationToken)
                ?? throw new InvalidDataException($"Run {runKey} recorded a checkpoint at step {resumeStep} that is not in storage.");
            resumeFrom = await Checkpoint.LoadAsync(new MemoryStream(tar), cancellationToken);
            records.AddRange((await sink.ReadJsonLinesAsync<TrainingStepRecord>(TenantBlobLayout.RunMetrics(id, arm, seed), cancellationToken)).Where(r => r.Step < resumeStep));
            parentId = context.Job.LastCheckpointId ?? parentId;
        }

        using var resumed = resumeFrom;
        var plan = EvaluationPlan.For(definition.Evaluation);
        var curve = await RunCurves.LoadAsync(sink, id, arm, seed, definition.Budget.CheckpointEvery, context.Job.LastCheckpointStep ?? 0, cancellationToken);
        var alarmed = false;
        var scenarioSets = await LoadScenarioSetsAsync(context, request.ArmSpec, cancellationToken);

        await TrainingRunStage.RunAsync(
            request,
            baseCheckpoint,
            resumeFrom,
            onStep: record =>
            {
                records.Add(record);
                context.Metrics.TrainingStep(record);
                context.Progress.Report(new StageProgress(StageNames.Training, runKey, record.Step + 1, steps,
                    $"{runKey} step {record.Step + 1}/{steps}: reward {record.MeanReward:0.000}, KL {record.Kl:0.0000}"));
            },
            onCheckpoint: async (saved, ct) =>
            {
                var folderKey = CheckpointIds.RunFolder(id, arm, seed, saved.Step);
                await sink.WriteBytesAsync(TenantBlobLayout.CheckpointArchive(folderKey), await ExperimentRunner.ToTarAsync(saved.Checkpoint, ct), "application/x-tar", ct);
                var checkpointId = CheckpointIds.Run(id, arm, seed, saved.Step);
                await CheckpointPublisher.PublishAsync(context, saved.Checkpoint, folderKey, checkpointId,
                    $"{runKey} step {saved.Step}", parentId, "grpo", saved.Step,
                    new Dictionary<string, string> { ["arm"] = arm, ["seed"] = seed.ToString(CultureInfo.InvariantCulture), ["final"] = saved.Final ? "true" : "false" }, ct);
                parentId = checkpointId;
                await sink.WriteJsonLinesAsync(TenantBlobLayout.RunMetrics(id, arm, seed), records, ct);
                await WriteSamplesAsync(sink, id, samples, ct);
                if (plan.EvaluateCurves)
                {
                    context.Progress.Report(new StageProgress(StageNames.Training, runKey, saved.Step, steps, $"{runKey} step {saved.Step}: held-out curve evaluation"));
                    var evaluation = await EvaluationStage.EvaluateAsync(saved.Checkpoint, arm, seed, saved.Step, plan.CurveSuite, definition.Evaluation, plan.CurveItems, null, ct);
                    await sink.WriteJsonAsync(TenantBlobLayout.RunCurve(id, arm, seed, saved.Step), evaluation, ct);
                    curve.Add(evaluation);
                    alarmed |= await CheckRewardHackingAsync(context, runKey, curve, records, saved.Step, alarmed);
                }

                await context.JobGrain.RecordCheckpointAsync(saved.Step, checkpointId);
            },
            cancellationToken,
            scenarioSets is null ? null : setId => scenarioSets[setId],
            onSamples: samples.Add);

        await sink.WriteJsonLinesAsync(TenantBlobLayout.RunMetrics(id, arm, seed), records, cancellationToken);
        await WriteSamplesAsync(sink, id, samples, cancellationToken);
        return sink.PathOf(TenantBlobLayout.RunMetrics(id, arm, seed));
    }

    /// <summary>Stores the sampled groups recorded since the last write, one replaceable file per step (a resumed run writes the same).</summary>
    private static async Task WriteSamplesAsync(IArtifactSink sink, string id, List<SampledGroupsRecord> samples, CancellationToken cancellationToken)
    {
        foreach (var record in samples)
        {
            await sink.WriteJsonAsync(TenantBlobLayout.RunSamples(id, record.Arm, record.Seed, record.Step), record, cancellationToken);
        }

        samples.Clear();
    }

    /// <summary>Raises the alarm once per attempt when train reward rose while the held-out score fell over the configured window.</summary>
    private static async Task<bool> CheckRewardHackingAsync(ExperimentJobContext context, string runKey, List<CheckpointEvaluation> curve, List<TrainingStepRecord> records, long step, bool alreadyRaised)
    {
        var points = new List<CurvePoint>();
        long previous = 0;
        // The alarm watches the trait slice's reward (RewardHackingAlarm.TrainReward), not the whole mixture's.
        var arm = records.Count == 0 ? null : context.Definition.Arms.FirstOrDefault(a => a.Name == records[0].Arm);
        var traitSlice = arm is null ? null : RewardHackingAlarm.TraitSliceOf(arm);
        foreach (var evaluation in curve.OrderBy(c => c.Step))
        {
            var rewards = records.Where(r => r.Step >= previous && r.Step < evaluation.Step).Select(r => RewardHackingAlarm.TrainReward(r, traitSlice)).Where(double.IsFinite).ToList();
            points.Add(new CurvePoint(evaluation.Step, rewards.Count > 0 ? rewards.Average() : double.NaN, evaluation.HeldOutMean));
            previous = evaluation.Step;
        }

        var verdict = RewardHackingAlarm.Detect(points, context.Definition.Analysis.RewardHackingWindow);
        if (!verdict.Fired || alreadyRaised) return verdict.Fired;
        var window = verdict.Windows[^1];
        await context.Experiment.RaiseAlarmAsync(new ExperimentAlarm
        {
            Kind = "reward-hacking",
            Run = runKey,
            Step = step,
            Message = $"{runKey}: trait-slice training reward rose by {window.RewardChange:+0.000;-0.000} while the held-out trait score fell by {-window.HeldOutChange:0.000} between steps {window.FromStep} and {window.ToStep}.",
            At = DateTimeOffset.UtcNow,
        });
        return true;
    }

    /// <summary>Uploaded scenario sets the arm reads, at their newest version when the run starts.</summary>
    private static async Task<Dictionary<string, IReadOnlyList<Scenario>>?> LoadScenarioSetsAsync(ExperimentJobContext context, ArmSpec arm, CancellationToken cancellationToken)
    {
        var ids = arm.Slices.Where(s => s.Source == SliceSource.ScenarioSet && s.ScenarioSetId is not null).Select(s => s.ScenarioSetId!).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0) return null;
        var sets = new Dictionary<string, IReadOnlyList<Scenario>>(StringComparer.Ordinal);
        foreach (var setId in ids)
        {
            var info = await context.Grains.GetGrain<IScenarioSetGrain>(ResourceKey.For(context.Tenant, setId)).GetAsync()
                ?? throw new InvalidDataException($"Scenario set '{setId}' does not exist.");
            var version = info.Versions.LastOrDefault() ?? throw new InvalidDataException($"Scenario set '{setId}' has no version yet: upload its JSONL first.");
            await using var content = await context.Store.OpenReadAsync(version.BlobPath, cancellationToken);
            using var reader = new StreamReader(content);
            sets[setId] = ScenarioJsonl.Read(reader);
        }

        return sets;
    }
}
