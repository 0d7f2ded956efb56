using System.Globalization;
using System.Net;
using System.Text;
using BeneficialRL.Analysis.Bootstrap;
using BeneficialRL.Analysis.Durability;
using BeneficialRL.Durability.Attacks;
using BeneficialRL.Durability.Running;

namespace BeneficialRL.Durability.Reports;

/// <summary>Renders a <see cref="PersistenceResult"/> as a report section: tables and ScottPlot PNGs.</summary>
public static class PersistenceReport
{
    /// <summary>File name of the degradation-per-attack plot.</summary>
    public const string DegradationImage = "persistence-degradation.png";

    /// <summary>File name of the dose-curve plot.</summary>
    public const string DoseCurvesImage = "persistence-dose-curves.png";

    /// <summary>Builds the section.</summary>
    /// <param name="result">The run's result.</param>
    /// <param name="embedImages">True: images inline as base64 data URIs; false: <c>img src</c> names the returned files.</param>
    public static PersistenceReportSection Render(PersistenceResult result, bool embedImages = true)
    {
        ArgumentNullException.ThrowIfNull(result);
        var images = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var html = new StringBuilder();
        html.Append("<section id=\"persistence\"><h2>Persistence</h2><p>Subjects: ").Append(E(string.Join(", ", result.Subjects)))
            .Append(result.Reference.Length == 0 ? "; no reference: the subjects are replicates and are not compared with each other.</p>"
                : "; reference <b>" + E(result.Reference) + "</b>. Differences are subject − reference in points with "
                    + P(result.Spec.Analysis.ConfidenceLevel) + " bootstrap CIs; negative = the subject loses less.</p>");

        if (result.Adversarial.Count > 0)
        {
            html.Append("<h3>Adversarial prompting</h3><p>Attack texts v").Append(E(result.AttackLibraryVersion))
                .Append(". Degradation = clean − attacked. Helpful personas are the steerability control: they should not lower scores.</p>");
            html.Append("<table><tr><th>subject</th><th>clean (pts)</th>");
            var kinds = result.Adversarial.SelectMany(s => s.Kinds.Select(k => k.Kind)).Distinct().Order().ToList();
            foreach (var kind in kinds)
            {
                html.Append("<th>").Append(E(KindName(kind))).Append(": attacked (pts)</th><th>degradation [CI]</th>");
            }

            html.Append("</tr>");
            foreach (var subject in result.Adversarial)
            {
                html.Append("<tr><td>").Append(E(subject.Subject)).Append("</td><td>").Append(F(subject.CleanMeanPoints)).Append("</td>");
                foreach (var kind in kinds)
                {
                    var outcome = subject.Kinds.FirstOrDefault(k => k.Kind == kind);
                    html.Append("<td>").Append(outcome is null ? "" : F(outcome.Degradation.AttackedMeanPoints)).Append("</td><td>")
                        .Append(outcome is null ? "" : Ci(outcome.Degradation.DegradationPoints)).Append("</td>");
                }

                html.Append("</tr>");
            }

            html.Append("</table>");
            images[DegradationImage] = PersistenceCharts.DegradationPerAttack(result.Adversarial);
            Image(html, DegradationImage, images, embedImages, "Degradation per attack and subject");

            if (result.AdversarialComparisons.Count > 0)
            {
                html.Append("<table><tr><th>subject vs reference</th><th>attack kind / attack</th><th>subject degradation</th><th>reference degradation</th><th>difference [CI]</th><th>p</th></tr>");
                foreach (var comparison in result.AdversarialComparisons)
                {
                    foreach (var kind in comparison.Kinds)
                    {
                        Row(html, $"{comparison.Subject} vs {comparison.Reference}", "<b>" + E(KindName(kind.Kind)) + "</b>", kind.Comparison);
                    }

                    foreach (var attack in comparison.Attacks)
                    {
                        Row(html, "", E(attack.AttackId), attack.Comparison);
                    }
                }

                html.Append("</table>");
            }
        }

        if (result.FineTuning.Count > 0)
        {
            var corpus = result.Corpus;
            html.Append("<h3>Harmful fine-tuning</h3><p>SFT on ").Append(corpus?.Examples ?? 0).Append(" misaligned ").Append(E(corpus?.Domain ?? ""))
                .Append(" examples (corpus ").Append(E(Short(corpus?.ContentHash))).Append(", checked against ").Append(corpus?.BenchmarkItemsChecked ?? 0)
                .Append(" benchmark items: ").Append(corpus?.SharedNGramCandidates ?? 0).Append(" share a 13-gram; ").Append(corpus?.DroppedForOverlap ?? 0)
                .Append(" candidates dropped), doses ").Append(E(string.Join(", ", result.Spec.FineTuning.Doses))).Append(" steps at learning rate ")
                .Append(result.Spec.FineTuning.LearningRate.ToString("G3", CultureInfo.InvariantCulture)).Append(".</p>");
            images[DoseCurvesImage] = PersistenceCharts.DoseCurves(result.FineTuning);
            Image(html, DoseCurvesImage, images, embedImages, "Dose curves per subject");

            html.Append("<h4>Alignment half-life</h4><p>Dose at which half of the gap between the clean score and the floor is lost; ∞ = not within the ladder.</p>")
                .Append("<table><tr><th>subject</th><th>scope</th><th>clean (pts)</th><th>floor (pts)</th><th>half-life (steps) [CI]</th><th>items</th></tr>");
            foreach (var subject in result.FineTuning)
            {
                HalfLifeRow(html, subject.Subject, DeltaRow.InDomain, subject.InDomainHalfLife);
                HalfLifeRow(html, subject.Subject, DeltaRow.OutOfDomain, subject.OutOfDomainHalfLife);
            }

            html.Append("</table>");
            foreach (var comparison in result.FineTuningComparisons)
            {
                var h = comparison.HalfLife;
                html.Append("<p>").Append(E(comparison.Subject)).Append(" − ").Append(E(comparison.Reference)).Append(" half-life (").Append(E(comparison.Scope)).Append("): ")
                    .Append(F(h.DifferenceDose)).Append(" steps [").Append(F(h.Interval.Lower)).Append(", ").Append(F(h.Interval.Upper)).Append("]</p>");
            }

            html.Append("<h4>Δ table (before − after the largest dose, points)</h4><table><tr><th>group</th><th>scope</th>");
            foreach (var subject in result.FineTuning)
            {
                html.Append("<th>").Append(E(subject.Subject)).Append(" Δ [CI]</th>");
            }

            foreach (var comparison in result.FineTuningComparisons.DistinctBy(c => c.Subject))
            {
                html.Append("<th>").Append(E(comparison.Subject)).Append(" − ").Append(E(comparison.Reference)).Append(" [CI]</th>");
            }

            html.Append("</tr>");
            var rows = result.FineTuning.SelectMany(s => s.DeltaTable.Select(d => (d.Scope, d.Group))).Distinct().OrderBy(r => r.Scope, StringComparer.Ordinal).ThenBy(r => r.Group, StringComparer.Ordinal);
            foreach (var (scope, group) in rows)
            {
                html.Append("<tr><td>").Append(E(group)).Append("</td><td>").Append(E(scope)).Append("</td>");
                foreach (var subject in result.FineTuning)
                {
                    var row = subject.DeltaTable.FirstOrDefault(d => d.Scope == scope && d.Group == group);
                    html.Append("<td>").Append(row is null ? "" : Ci(row.Delta.DegradationPoints)).Append("</td>");
                }

                foreach (var comparison in result.FineTuningComparisons.Where(c => c.Scope == scope))
                {
                    var row = comparison.DeltaTable.FirstOrDefault(d => d.Group == group);
                    html.Append("<td>").Append(row is null ? "" : Ci(row.DifferencePoints)).Append("</td>");
                }

                html.Append("</tr>");
            }

            html.Append("</table>");
        }

        html.Append("</section>");
        return new PersistenceReportSection(html.ToString(), images);
    }

    private static void Row(StringBuilder html, string pair, string label, DegradationComparison c) =>
        html.Append("<tr><td>").Append(E(pair)).Append("</td><td>").Append(label).Append("</td><td>").Append(Ci(c.Treatment.DegradationPoints))
            .Append("</td><td>").Append(Ci(c.Baseline.DegradationPoints)).Append("</td><td>").Append(Ci(c.DifferencePoints)).Append("</td><td>")
            .Append(c.Welch.PValue.ToString("0.###", CultureInfo.InvariantCulture)).Append("</td></tr>");

    private static void HalfLifeRow(StringBuilder html, string subject, string scope, HalfLifeEstimate? estimate)
    {
        if (estimate is null)
        {
            return;
        }

        html.Append("<tr><td>").Append(E(subject)).Append("</td><td>").Append(E(scope)).Append("</td><td>").Append(F(estimate.CleanScore * 100))
            .Append("</td><td>").Append(F(estimate.FloorScore * 100)).Append("</td><td>").Append(F(estimate.HalfLife)).Append(" [")
            .Append(F(estimate.Interval.Lower)).Append(", ").Append(F(estimate.Interval.Upper)).Append("]</td><td>").Append(estimate.Items).Append("</td></tr>");
    }

    private static void Image(StringBuilder html, string name, Dictionary<string, byte[]> images, bool embed, string alt) =>
        html.Append("<p><img alt=\"").Append(E(alt)).Append("\" src=\"")
            .Append(embed ? "data:image/png;base64," + Convert.ToBase64String(images[name]) : E(name)).Append("\"></p>");

    private static string KindName(AttackKind kind) => kind switch
    {
        AttackKind.HarmfulPersona => "harmful personas",
        AttackKind.HelpfulPersona => "helpful personas",
        _ => "transforms",
    };

    private static string Ci(BootstrapInterval interval) => $"{F(interval.Estimate)} [{F(interval.Interval.Lower)}, {F(interval.Interval.Upper)}]";

    private static string F(double value) => double.IsPositiveInfinity(value) ? "∞" : double.IsNegativeInfinity(value) ? "−∞" : double.IsNaN(value) ? "–" : value.ToString("0.0", CultureInfo.InvariantCulture);

    private static string P(double value) => value.ToString("0.##%", CultureInfo.InvariantCulture);

    private static string Short(string? hash) => hash is null ? "" : hash[..Math.Min(12, hash.Length)];

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
