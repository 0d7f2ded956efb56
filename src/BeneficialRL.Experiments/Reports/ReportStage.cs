using System.Text;
using BeneficialRL.Experiments.Analysis;
using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Experiments.Reports;

/// <summary>
/// Stage 5: writes <c>reports/{id}/report.json</c> (<see cref="TenantBlobLayout.Report"/>), the PNG plots and a self-contained
/// <c>report.html</c> embedding them.
/// </summary>
public static class ReportStage
{
    /// <summary>Report file names.</summary>
    public const string JsonFile = "report.json", HtmlFile = "report.html";

    /// <summary>Renders and writes the report; returns it.</summary>
    public static async Task<ExperimentReport> RunAsync(
        string experimentId,
        ExperimentDefinition definition,
        BaseModelResult baseModel,
        ExperimentAnalysis analysis,
        IReadOnlyDictionary<string, double> stageSeconds,
        IArtifactSink sink,
        CancellationToken cancellationToken,
        Durability.Running.PersistenceResult? persistence = null)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(sink);
        var images = new List<KeyValuePair<string, byte[]>>();
        foreach (var comparison in analysis.Comparisons)
        {
            if (comparison.Ood is { Benchmarks.Count: > 0 } ood)
            {
                images.Add(new($"deltas-{comparison.Arm}.png", ReportCharts.Deltas($"{comparison.Arm} − {analysis.Baseline}: OOD benchmarks", ood.Benchmarks)));
            }

            if (comparison.HeldOutTraits.Count > 0)
            {
                images.Add(new($"held-out-{comparison.Arm}.png", ReportCharts.Deltas($"{comparison.Arm} − {analysis.Baseline}: held-out traits", [.. comparison.HeldOutTraits.Select(t => t.Comparison)])));
            }
        }

        images.Add(new("training-reward.png", ReportCharts.TrainingReward(analysis.Curves)));
        images.Add(new("held-out-curves.png", ReportCharts.HeldOutCurves(analysis.Curves)));
        if (analysis.Transfer is { } transfer)
        {
            images.Add(new("transfer.png", ReportCharts.Transfer(transfer)));
        }

        var section = persistence is null ? null : Durability.Reports.PersistenceReport.Render(persistence, embedImages: true);
        var report = new ExperimentReport(
            experimentId,
            definition,
            baseModel,
            analysis,
            [.. analysis.Comparisons.Select(HeadlineRow.From)],
            stageSeconds,
            [JsonFile, HtmlFile, .. images.Select(i => i.Key), .. section?.Images.Keys ?? []],
            persistence,
            Combine(baseModel.Preflight, analysis.AfterTraining),
            EmergentMisalignmentControl.From(definition, persistence));
        foreach (var (name, bytes) in section?.Images ?? new Dictionary<string, byte[]>())
        {
            await sink.WriteBytesAsync(TenantBlobLayout.Report(experimentId, name), bytes, "image/png", cancellationToken).ConfigureAwait(false);
        }

        foreach (var (name, bytes) in images)
        {
            await sink.WriteBytesAsync(TenantBlobLayout.Report(experimentId, name), bytes, "image/png", cancellationToken).ConfigureAwait(false);
        }

        await sink.WriteJsonAsync(TenantBlobLayout.Report(experimentId, JsonFile), report, cancellationToken).ConfigureAwait(false);
        await sink.WriteBytesAsync(TenantBlobLayout.Report(experimentId, HtmlFile), Encoding.UTF8.GetBytes(ReportHtml.Render(report, images, section?.Html)), "text/html", cancellationToken).ConfigureAwait(false);
        return report;
    }

    private static Preflight.PreflightReport? Combine(Preflight.PreflightReport? beforeTraining, IReadOnlyList<Preflight.PreflightCheck>? afterTraining) =>
        beforeTraining is null && afterTraining is null ? null : new Preflight.PreflightReport([.. beforeTraining?.Checks ?? [], .. afterTraining ?? []]);
}
