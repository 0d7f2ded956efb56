using BeneficialRL.Experiments.Analysis;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;

namespace BeneficialRL.Experiments.Reports;

/// <summary>The content of <c>report.json</c>.</summary>
/// <param name="ExperimentId">The experiment.</param>
/// <param name="Definition">What was run.</param>
/// <param name="Base">The starting checkpoint.</param>
/// <param name="Analysis">Every statistic.</param>
/// <param name="Headline">One line per compared arm, as printed by the main job.</param>
/// <param name="StageSeconds">Wall time per stage.</param>
/// <param name="Files">Report files (names relative to the report folder).</param>
/// <param name="Persistence">The persistence tests, when the definition asked for them.</param>
/// <param name="Preflight">Every pre-flight check (base model before RL, then the trait-slice reward after it); null in reports written before they existed.</param>
/// <param name="EmergentMisalignment">The emergent-misalignment control (docs/science.md §5), when the definition fine-tunes on its world's corpus.</param>
public sealed record ExperimentReport(
    string ExperimentId,
    ExperimentDefinition Definition,
    BaseModelResult Base,
    ExperimentAnalysis Analysis,
    IReadOnlyList<HeadlineRow> Headline,
    IReadOnlyDictionary<string, double> StageSeconds,
    IReadOnlyList<string> Files,
    Durability.Running.PersistenceResult? Persistence = null,
    Preflight.PreflightReport? Preflight = null,
    EmergentMisalignmentControl? EmergentMisalignment = null)
{
    /// <summary>Why the headline is not a finding (a failed pre-flight check), or null when nothing blocks it.</summary>
    public string? HeadlineBlocked => Preflight?.BlockReason;
}
