using BeneficialRL.Experiments.Analysis;
using BeneficialRL.Experiments.Jobs;
using BeneficialRL.Experiments.Reports;
using BeneficialRL.Experiments.Stages;

namespace BeneficialRL.Experiments.Running;

/// <summary>What an in-process run produced.</summary>
/// <param name="ExperimentId">The experiment.</param>
/// <param name="Base">The starting checkpoint.</param>
/// <param name="Analysis">The statistics.</param>
/// <param name="Report">The report (also written to the sink).</param>
/// <param name="StageSeconds">Wall time per stage of <see cref="ExperimentPlan"/>, in order.</param>
/// <param name="Jobs">Every job's completion: its result artifact and the checkpoints it recorded.</param>
/// <param name="Checkpoints">The checkpoint resources the jobs published, in order.</param>
/// <param name="Alarms">Alarms the jobs raised.</param>
public sealed record ExperimentOutcome(
    string ExperimentId,
    BaseModelResult Base,
    ExperimentAnalysis Analysis,
    ExperimentReport Report,
    IReadOnlyDictionary<string, double> StageSeconds,
    IReadOnlyList<CompletedJob> Jobs,
    IReadOnlyList<CheckpointPublication> Checkpoints,
    IReadOnlyList<JobAlarm> Alarms);

/// <summary>A job the in-process host ran to completion.</summary>
/// <param name="Job">The job.</param>
/// <param name="Result">The artifact recording its result.</param>
/// <param name="Checkpoints">Resume points it recorded, in order.</param>
/// <param name="Seconds">Its wall time.</param>
public sealed record CompletedJob(ExperimentJobSpec Job, string Result, IReadOnlyList<JobCheckpoint> Checkpoints, double Seconds);
