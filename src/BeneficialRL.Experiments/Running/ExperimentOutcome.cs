using BeneficialRL.Experiments.Analysis;
using BeneficialRL.Experiments.Reports;
using BeneficialRL.Experiments.Stages;

namespace BeneficialRL.Experiments.Running;

/// <summary>What an in-process run produced.</summary>
/// <param name="ExperimentId">The experiment.</param>
/// <param name="Base">The starting checkpoint.</param>
/// <param name="Analysis">The statistics.</param>
/// <param name="Report">The report (also written to the sink).</param>
/// <param name="StageSeconds">Wall time per stage.</param>
public sealed record ExperimentOutcome(string ExperimentId, BaseModelResult Base, ExperimentAnalysis Analysis, ExperimentReport Report, IReadOnlyDictionary<string, double> StageSeconds);
