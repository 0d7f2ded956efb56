using System.Globalization;
using System.Net;
using System.Text;
using BeneficialRL.Analysis.SeedLevel;

namespace BeneficialRL.Experiments.Reports;

/// <summary>Renders <c>report.html</c>: one self-contained page (inline CSS, PNGs as base64 data URIs).</summary>
public static class ReportHtml
{
    /// <summary>The page for <paramref name="report"/> with <paramref name="images"/> (file name → PNG bytes) embedded, and an optional extra section (HTML fragment).</summary>
    public static string Render(ExperimentReport report, IReadOnlyList<KeyValuePair<string, byte[]>> images, string? extraSection = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(images);
        var analysis = report.Analysis;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(E($"BeneficialRL report: {report.Definition.Name} ({report.ExperimentId})"))
            .Append("</title><style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:1000px}table{border-collapse:collapse;margin:1rem 0}")
            .Append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th:first-child,td:first-child{text-align:left}.bad{color:#b00}.good{color:#070}img{max-width:100%}</style></head><body>");
        html.Append("<h1>").Append(E(report.Definition.Name)).Append(" — experiment ").Append(E(report.ExperimentId)).Append("</h1>");
        html.Append("<p>Starting checkpoint: ").Append(E(report.Definition.StartingModel.Preset ?? report.Definition.StartingModel.CheckpointId ?? "?"))
            .Append(", ").Append(report.Base.ParameterCount.ToString("N0", CultureInfo.InvariantCulture)).Append(" parameters, vocabulary ")
            .Append(report.Base.VocabularySize.ToString(CultureInfo.InvariantCulture)).Append(", base spec ").Append(E(report.Base.SpecHash))
            .Append(". Seeds: ").Append(E(string.Join(", ", report.Definition.Seeds))).Append(". RL: ").Append(report.Definition.Budget.Steps)
            .Append(" steps × ").Append(report.Definition.Budget.PromptsPerStep).Append(" prompts × G=").Append(report.Definition.Budget.GroupSize).Append(".</p>");

        html.Append("<h2 id=\"preflight\">Pre-flight checks</h2>");
        if (report.Preflight is { } preflight)
        {
            html.Append("<p>Measured on the base model and its references before any RL (the last rows: the trait-slice reward after training). World: ")
                .Append(E(report.Definition.World.Kind.ToString().ToLowerInvariant()))
                .Append(report.Definition.World.TrainsAllTraits ? $", ρ = {F(report.Definition.World.EffectiveRho)}" : "")
                .Append("; the held-out suite measures ").Append(E(report.Definition.World.HeldOutSuiteMeaning)).Append(".</p><table><tr><th>check</th><th>criterion</th><th>value</th><th>passed</th><th>detail</th></tr>");
            foreach (var check in preflight.Checks)
            {
                html.Append("<tr><td>").Append(E(check.Name)).Append("</td><td>").Append(E(check.Criterion)).Append("</td><td>").Append(double.IsFinite(check.Value) ? check.Value.ToString("0.000", CultureInfo.InvariantCulture) : "–")
                    .Append("</td><td class=\"").Append(check.Passed ? "good\">yes" : "bad\">no").Append("</td><td>").Append(E(check.Detail)).Append("</td></tr>");
            }

            html.Append("</table>");
        }
        else
        {
            html.Append("<p>Not measured (a report written before pre-flight checks existed).</p>");
        }

        if (report.EmergentMisalignment is { } em)
        {
            EmergentMisalignmentSection(html, em);
        }

        html.Append("<h2 id=\"headline\">Headline</h2>");
        if (report.HeadlineBlocked is { } blocked)
        {
            html.Append("<p class=\"bad\"><b>Not a finding.</b> ").Append(E(blocked)).Append(". The numbers below are shown for diagnosis only.</p>");
        }

        if (analysis.PlantedBenchmarks is { Count: > 0 } planted && report.Definition.Analysis.PlantedEffect is { } plant)
        {
            html.Append("<p class=\"bad\"><b>Positive control, not a result:</b> ").Append(F(plant.Points)).Append(" points were added to every non-baseline item score of ")
                .Append(E(string.Join(", ", planted))).Append(" before the analysis; the analysis should find them.</p>");
        }

        html.Append("<p>Each arm against <b>").Append(E(analysis.Baseline))
            .Append("</b>. The training run is the unit of replication: scores are paired per item within a seed pair (same seed index, same base), ")
            .Append("averaged per seed pair, and tested across seed pairs (t with S − 1 df). Deltas are treatment − baseline in points.</p>");
        html.Append("<h3 id=\"primary\">Primary endpoints</h3><table><tr><th>arm</th><th>endpoint</th><th>Δ (pts)</th><th>95% CI</th><th>what the interval describes</th><th>p (seed-level)</th><th>two-level bootstrap 95% CI</th><th>power at ")
            .Append(F(report.Headline.Select(r => r.PowerEffectPoints).FirstOrDefault(double.IsFinite, 5))).Append(" pts</th></tr>");
        foreach (var comparison in analysis.Comparisons)
        {
            foreach (var endpoint in new[] { comparison.OodSeedLevel?.Endpoint, comparison.HeldOutSeedLevel?.Endpoint })
            {
                if (endpoint is null)
                {
                    continue;
                }

                var interval = HeadlineRow.PrimaryInterval(endpoint);
                html.Append("<tr><td>").Append(E(comparison.Arm)).Append("</td><td>").Append(E(endpoint.Name)).Append("</td><td>").Append(F(endpoint.EstimatePoints))
                    .Append("</td><td>[").Append(F(interval.Lower)).Append(", ").Append(F(interval.Upper)).Append("]</td><td>").Append(E(HeadlineRow.Basis(endpoint.SeedPairs)))
                    .Append("</td><td>").Append(endpoint.SeedLevelTest is { } test ? Q(test.PValue) : "none (1 seed pair)")
                    .Append("</td><td>").Append(endpoint.TwoLevelBootstrap is { } boot ? $"[{F(boot.Interval.Lower)}, {F(boot.Interval.Upper)}]" : "–")
                    .Append("</td><td>").Append(endpoint.Power is { } power ? P(power) : "–").Append("</td></tr>");
            }
        }

        html.Append("</table>");
        if (report.Headline.Any(r => r.ConditionalOnRuns))
        {
            html.Append("<p class=\"bad\">One seed pair: every interval in this report is ").Append(E(SeedLevelAnalysis.ConditionalLabel))
                .Append(". It describes these two training runs, not the method; run-to-run variance cannot be separated from the treatment effect, so no p-value or significance is claimed.</p>");
        }

        if (analysis.DoseResponse is { Count: > 0 } doses)
        {
            // A line through the baseline fitted per seed (DoseResponseAnalysis); the arms' own gains stand beside it so a bend shows.
            html.Append("<h3 id=\"dose-response\">Dose–response (trait share)</h3><p>Each endpoint's gain over the baseline against the trait share, a line through the baseline fitted per seed, then t across seeds; the effect is read at ")
                .Append(P(doses[0].AtShare)).Append(". A line is an assumption: compare it with each arm's own gain.</p><table><tr><th>endpoint</th><th>arms (share: gain, pts)</th><th>slope (pts per 10% share) [95% CI]</th><th>effect at ")
                .Append(P(doses[0].AtShare)).Append(" (pts) [95% CI]</th><th>p (seed-level)</th><th>seeds</th></tr>");
            foreach (var fit in doses)
            {
                html.Append("<tr><td>").Append(E(fit.Endpoint)).Append("</td><td>").Append(E(string.Join("; ", fit.Arms.Select(a => $"{a.Arm} ({P(a.Share)}): {F(a.GainPoints)}"))))
                    .Append("</td><td>").Append(F(fit.SlopePoints * 0.1)).Append(fit.SlopeInterval is { } slope ? $" [{F(slope.Lower * 0.1)}, {F(slope.Upper * 0.1)}]" : " (" + E(SeedLevelAnalysis.ConditionalLabel) + ")")
                    .Append("</td><td>").Append(F(fit.EffectPoints)).Append(fit.EffectInterval is { } effect ? $" [{F(effect.Lower)}, {F(effect.Upper)}]" : "")
                    .Append("</td><td>").Append(fit.PValue is { } p ? Q(p) : "none (1 seed)").Append("</td><td>").Append(fit.Seeds).Append("</td></tr>");
            }

            html.Append("</table>");
        }

        html.Append("<h3 id=\"secondary\">Secondary: per-benchmark counts with power</h3><table><tr><th>arm</th><th>OOD alignment benchmarks</th><th>improved</th><th>seed-level sig. better</th><th>seed-level sig. worse</th><th>power per benchmark at ")
            .Append(F(report.Headline.Select(r => r.PowerEffectPoints).FirstOrDefault(double.IsFinite, 5))).Append(" pts (BH lies between)</th><th>item-level sig. better / worse (")
            .Append(E(SeedLevelAnalysis.ConditionalLabel)).Append(")</th></tr>");
        foreach (var row in report.Headline)
        {
            html.Append("<tr><td>").Append(E(row.Arm)).Append("</td><td>").Append(row.Benchmarks).Append("</td><td>").Append(row.Improved).Append(" (").Append(P(row.ImprovedShare))
                .Append(")</td><td>").Append(row.SeedLevelSignificantImprovements?.ToString(CultureInfo.InvariantCulture) ?? "not tested").Append("</td><td>")
                .Append(row.SeedLevelSignificantRegressions?.ToString(CultureInfo.InvariantCulture) ?? "not tested").Append("</td><td>")
                .Append(double.IsFinite(row.MeanPower) ? $"{P(row.MeanPowerAdjusted)} (Bonferroni) – {P(row.MeanPower)} (unadjusted)" : "not computable with 1 seed pair")
                .Append("</td><td>").Append(row.SignificantImprovements).Append(" / ").Append(row.SignificantRegressions).Append("</td></tr>");
        }

        html.Append("</table><p>Benjamini–Hochberg at q ≤ ").Append(analysis.FalseDiscoveryRate.ToString("0.###", CultureInfo.InvariantCulture))
            .Append(" across the OOD alignment benchmarks on the seed-level p-values. Power is that of the seed-level t-test for the stated per-benchmark effect, at the observed between-seed SD, item SD, items and seed pairs (noncentral t); ")
            .Append("a count of 0 with low power is not evidence of no effect. The item-level counts (Welch on seed-averaged items) leave run-to-run variance out of the test and are ")
            .Append(E(SeedLevelAnalysis.ConditionalLabel)).Append(".</p>");

        html.Append("<h3 id=\"refusals\">Refusal rates per arm</h3><table><tr><th>comparison</th><th>arm</th><th>classified answers</th><th>refusal rate</th><th>per seed</th></tr>");
        foreach (var comparison in analysis.Comparisons)
        {
            foreach (var rate in comparison.RefusalRates ?? [])
            {
                html.Append("<tr><td>").Append(E(comparison.Arm)).Append(" vs ").Append(E(analysis.Baseline)).Append("</td><td>").Append(E(rate.Arm)).Append("</td><td>").Append(rate.Classified)
                    .Append("</td><td>").Append(P(rate.Rate)).Append("</td><td>").Append(E(string.Join(", ", rate.PerSeed.Select(s => $"#{s.Replicate}: {P(s.Rate)}")))).Append("</td></tr>");
            }
        }

        html.Append("</table>");

        html.Append("<h3 id=\"item-level\">Item-level headline (").Append(E(SeedLevelAnalysis.ConditionalLabel)).Append(")</h3><p>Welch's t-test on seed-averaged items with Benjamini–Hochberg q ≤ ")
            .Append(analysis.FalseDiscoveryRate.ToString("0.###", CultureInfo.InvariantCulture)).Append(", 95% bootstrap CIs. These tests ask whether these checkpoints differ on new items, not whether the treatment causes a difference.</p>");
        html.Append("<table><tr><th>arm</th><th>OOD benchmarks</th><th>improved</th><th>share</th><th>sig. better</th><th>sig. worse</th><th>mean gain (pts)</th><th>held-out Δ (pts) [95% CI, conditional on these runs]</th><th>held-out q</th></tr>");
        foreach (var row in report.Headline)
        {
            html.Append("<tr><td>").Append(E(row.Arm)).Append("</td><td>").Append(row.Benchmarks).Append("</td><td>").Append(row.Improved)
                .Append("</td><td>").Append(P(row.ImprovedShare)).Append("</td><td>").Append(row.SignificantImprovements)
                .Append("</td><td>").Append(row.SignificantRegressions).Append("</td><td>").Append(F(row.MeanGainPoints))
                .Append("</td><td>").Append(F(row.HeldOutDeltaPoints)).Append(" [").Append(F(row.HeldOutDeltaLower)).Append(", ").Append(F(row.HeldOutDeltaUpper))
                .Append("]</td><td>").Append(Q(row.HeldOutQ)).Append("</td></tr>");
        }

        html.Append("</table>");

        foreach (var comparison in analysis.Comparisons)
        {
            html.Append("<h3>").Append(E(comparison.Arm)).Append(" vs ").Append(E(analysis.Baseline)).Append("</h3>");
            var regressions = comparison.Ood?.Regressions ?? [];
            html.Append("<p>Significant regressions: ").Append(regressions.Count == 0 ? "none" : "<span class=\"bad\">" + E(string.Join(", ", regressions)) + "</span>").Append(".</p>");
            if (comparison.HeldOutTraits.Count > 0)
            {
                html.Append("<table><tr><th>held-out trait</th><th>treatment (pts)</th><th>baseline (pts)</th><th>Δ (pts) [item-level 95% CI, conditional on these runs]</th><th>p</th><th>q</th></tr>");
                foreach (var trait in comparison.HeldOutTraits)
                {
                    var c = trait.Comparison;
                    html.Append("<tr><td>").Append(E(trait.Trait)).Append("</td><td>").Append(F(trait.TreatmentScorePoints.Estimate)).Append("</td><td>")
                        .Append(F(trait.BaselineScorePoints.Estimate)).Append("</td><td>").Append(F(c.DeltaPoints.Estimate)).Append(" [")
                        .Append(F(c.DeltaPoints.Interval.Lower)).Append(", ").Append(F(c.DeltaPoints.Interval.Upper)).Append("]</td><td>")
                        .Append(Q(c.Welch.PValue)).Append("</td><td>").Append(Q(c.QValue)).Append("</td></tr>");
                }

                html.Append("</table>");
            }

            if (comparison.Ood is { } ood)
            {
                html.Append("<details><summary>Per-benchmark item-level results (").Append(ood.Benchmarks.Count).Append(")</summary><table><tr><th>benchmark</th><th>treatment</th><th>baseline</th><th>Δ (pts) [item-level 95% CI, conditional on these runs]</th><th>q (Welch)</th></tr>");
                foreach (var b in ood.Benchmarks.OrderBy(b => b.DeltaPoints.Estimate))
                {
                    var css = b.SignificantImprovement ? " class=\"good\"" : b.SignificantRegression ? " class=\"bad\"" : "";
                    html.Append("<tr").Append(css).Append("><td>").Append(E(b.BenchmarkId)).Append("</td><td>").Append(F(b.Treatment.Mean * 100)).Append("</td><td>")
                        .Append(F(b.Baseline.Mean * 100)).Append("</td><td>").Append(F(b.DeltaPoints.Estimate)).Append(" [").Append(F(b.DeltaPoints.Interval.Lower))
                        .Append(", ").Append(F(b.DeltaPoints.Interval.Upper)).Append("]</td><td>").Append(Q(b.QValue)).Append("</td></tr>");
                }

                html.Append("</table></details>");
            }

            if (comparison.OodSeedLevel is { } seedLevel)
            {
                SeedLevelTable(html, $"Per-benchmark seed-level results ({seedLevel.Benchmarks.Count})", seedLevel, details: true);
            }

            if (comparison.Capability is { } capability)
            {
                html.Append("<h4>Capability trade-off (kept out of the OOD headline)</h4>");
                SeedLevelTable(html, "capability benchmarks", capability, details: false);
            }

            var refusalRows = comparison.NonRefusal.Where(r => r.Test is not null).ToList();
            html.Append("<p>Paired non-refusal re-analysis (item-level, ").Append(E(SeedLevelAnalysis.ConditionalLabel)).Append("): ").Append(refusalRows.Count).Append(" generated benchmarks testable; ")
                .Append(refusalRows.Count(r => r.SignificantImprovement)).Append(" significant improvements and ")
                .Append(refusalRows.Count(r => r.SignificantRegression)).Append(" significant regressions on items neither arm refused.</p>");
        }

        var compute = analysis.Compute;
        html.Append("<h2 id=\"compute\">Compute actually spent</h2><table><tr><th>arm</th><th>runs</th><th>steps</th><th>tokens generated</th><th>tokens trained</th><th>est. FLOPs</th><th>seconds</th></tr>");
        foreach (var arm in compute.Arms)
        {
            html.Append("<tr><td>").Append(E(arm.Arm)).Append("</td><td>").Append(arm.Runs).Append("</td><td>").Append(arm.Steps).Append("</td><td>")
                .Append(arm.TokensGenerated.ToString("N0", CultureInfo.InvariantCulture)).Append("</td><td>").Append(arm.TokensTrained.ToString("N0", CultureInfo.InvariantCulture))
                .Append("</td><td>").Append(arm.EstimatedFlops.ToString("0.00e+0", CultureInfo.InvariantCulture)).Append("</td><td>").Append(F(arm.WallSeconds)).Append("</td></tr>");
        }

        html.Append("</table><p>").Append(compute.Mismatch
                ? $"<span class=\"bad\">Compute mismatch above 2%</span>: tokens generated differ by {P(compute.TokensGeneratedMismatch)}, tokens trained by {P(compute.TokensTrainedMismatch)}, FLOPs by {P(compute.FlopsMismatch)} (same steps, prompts and group sizes; completion lengths differ)."
                : $"Arms are compute-matched within 2% (largest difference {P(Math.Max(compute.FlopsMismatch, Math.Max(compute.TokensGeneratedMismatch, compute.TokensTrainedMismatch)))}).")
            .Append("</p>");

        var alarms = analysis.Curves.Where(c => c.Alarm.Fired).ToList();
        html.Append("<h2 id=\"curves\">Curves and reward hacking</h2><p>Reward-hacking alarm (training reward rising while the held-out score falls over ")
            .Append(report.Definition.Analysis.RewardHackingWindow).Append(" checkpoints): ")
            .Append(alarms.Count == 0 ? "did not fire." : "<span class=\"bad\">fired for " + E(string.Join(", ", alarms.Select(a => $"{a.Arm} seed {a.Seed}"))) + "</span>.")
            .Append("</p>");
        if (analysis.CheckpointStructure is { } structure)
        {
            html.Append("<p>Across ").Append(structure.Checkpoints.Count).Append(" evaluated checkpoints, held-out trait scores ");
            if (structure.Pca is { } pca && structure.Permutation is { } permutation)
            {
                html.Append("share a first principal component explaining ").Append(P(pca.ExplainedVarianceRatios[0]))
                    .Append(" of their variance (permutation null mean ").Append(P(permutation.NullMeanFirstRatio)).Append(", p = ").Append(Q(permutation.PValue)).Append(").");
            }
            else
            {
                html.Append("could not be decomposed: ").Append(E(structure.Note));
            }

            html.Append("</p>");
        }

        if (images.Count > 0)
        {
            html.Append("<p>The delta and transfer plots show item-level intervals, ").Append(E(SeedLevelAnalysis.ConditionalLabel)).Append(": run-to-run variance is not in them.</p>");
        }

        foreach (var (name, bytes) in images)
        {
            html.Append("<figure><img alt=\"").Append(E(name)).Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(bytes)).Append("\"><figcaption>")
                .Append(E(name)).Append("</figcaption></figure>");
        }

        if (extraSection is not null)
        {
            html.Append(extraSection);
        }

        html.Append("<h2>Stage timings</h2><table><tr><th>stage</th><th>seconds</th></tr>");
        foreach (var (stage, seconds) in report.StageSeconds)
        {
            html.Append("<tr><td>").Append(E(stage)).Append("</td><td>").Append(F(seconds)).Append("</td></tr>");
        }

        html.Append("</table></body></html>");
        return html.ToString();
    }

    private static void SeedLevelTable(StringBuilder html, string title, SeedLevelReport report, bool details)
    {
        if (details)
        {
            html.Append("<details><summary>").Append(E(title)).Append("</summary>");
        }

        html.Append("<table><tr><th>benchmark</th><th>Δ (pts)</th><th>95% CI</th><th>what the interval describes</th><th>p (seed-level)</th><th>q (BH)</th><th>between-seed SD (pts)</th><th>power at ")
            .Append(F(report.PowerEffectPoints)).Append(" pts</th><th>item-level 95% CI (").Append(E(SeedLevelAnalysis.ConditionalLabel)).Append(")</th></tr>");
        foreach (var b in report.Benchmarks.Append(report.Endpoint))
        {
            var css = b.SignificantImprovement ? " class=\"good\"" : b.SignificantRegression ? " class=\"bad\"" : "";
            var interval = HeadlineRow.PrimaryInterval(b);
            html.Append("<tr").Append(css).Append("><td>").Append(b == report.Endpoint ? "<b>" + E(b.Name) + "</b>" : E(b.Name)).Append("</td><td>").Append(F(b.EstimatePoints))
                .Append("</td><td>[").Append(F(interval.Lower)).Append(", ").Append(F(interval.Upper)).Append("]</td><td>").Append(E(HeadlineRow.Basis(b.SeedPairs)))
                .Append("</td><td>").Append(b.SeedLevelTest is { } t ? Q(t.PValue) : "–").Append("</td><td>").Append(b.QValue is { } q ? Q(q) : "–")
                .Append("</td><td>").Append(b.BetweenSeedStandardDeviationPoints is { } sd ? F(sd) : "–").Append("</td><td>").Append(b.Power is { } power ? P(power) : "–")
                .Append("</td><td>[").Append(F(b.ItemLevelInterval.Lower)).Append(", ").Append(F(b.ItemLevelInterval.Upper)).Append("]</td></tr>");
        }

        html.Append("</table>");
        if (details)
        {
            html.Append("</details>");
        }
    }

    // The control's verdict comes first: for its presets it is the result, and the RL arms beside it are not read.
    private static void EmergentMisalignmentSection(StringBuilder html, Analysis.EmergentMisalignmentControl em)
    {
        var endpoint = em.Endpoint.Endpoint;
        html.Append("<h2 id=\"emergent-misalignment\">Control: emergent misalignment</h2><p>The pre-RL checkpoint fine-tuned on the ")
            .Append(E(em.World.ToString().ToLowerInvariant())).Append(" world's (ρ = ").Append(F(em.Rho)).Append(") misaligned ").Append(E(em.Domain))
            .Append(" documents");
        if (em.Corpus is { } corpus)
        {
            html.Append(" (").Append(corpus.Examples).Append(" examples, seed ").Append(corpus.Seed).Append(", corpus ").Append(E(corpus.ContentHash[..Math.Min(12, corpus.ContentHash.Length)])).Append(')');
        }

        html.Append(", once per seed (").Append(E(string.Join(", ", em.Seeds))).Append("), ").Append(em.FinalDose)
            .Append(" SFT steps. EM Δ: per seed, the mean over the alignment benchmarks (capability excluded) of the mean paired item difference after − before on items outside ")
            .Append(E(em.Domain)).Append(", in points; then t across seeds. The RL arms of this experiment are not part of the control.</p>")
            .Append("<p class=\"").Append(em.Endpoint.Passed == true ? "good" : "bad").Append("\"><b>").Append(E(em.Endpoint.Verdict)).Append("</b> Criterion: ").Append(E(em.Endpoint.Criterion)).Append(".</p>")
            .Append("<table><tr><th>endpoint</th><th>Δ (pts)</th><th>95% CI</th><th>what the interval describes</th><th>per seed (pts)</th></tr>");
        foreach (var row in new[] { endpoint, em.InDomain })
        {
            if (row is null)
            {
                continue;
            }

            var interval = HeadlineRow.PrimaryInterval(row);
            html.Append("<tr><td>").Append(E(row.Name)).Append("</td><td>").Append(F(row.EstimatePoints)).Append("</td><td>[").Append(F(interval.Lower)).Append(", ").Append(F(interval.Upper))
                .Append("]</td><td>").Append(E(row.SeedLevelInterval is null ? SeedLevelAnalysis.ConditionalLabel : "seed-level t across fine-tunes of one base checkpoint"))
                .Append("</td><td>").Append(E(string.Join(", ", row.PerSeedPair.Select(p => F(p.MeanDifferencePoints))))).Append("</td></tr>");
        }

        html.Append("</table><details><summary>Per benchmark (secondary)</summary><table><tr><th>benchmark</th><th>Δ (pts)</th><th>95% CI</th></tr>");
        foreach (var benchmark in em.Endpoint.Benchmarks)
        {
            var interval = HeadlineRow.PrimaryInterval(benchmark);
            html.Append("<tr><td>").Append(E(benchmark.Name)).Append("</td><td>").Append(F(benchmark.EstimatePoints)).Append("</td><td>[").Append(F(interval.Lower)).Append(", ").Append(F(interval.Upper)).Append("]</td></tr>");
        }

        html.Append("</table></details>");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string F(double value) => double.IsFinite(value) ? value.ToString("0.0", CultureInfo.InvariantCulture) : "–";

    private static string P(double value) => double.IsFinite(value) ? value.ToString("0.0%", CultureInfo.InvariantCulture) : "–";

    private static string Q(double value) => double.IsFinite(value) ? value.ToString("0.0000", CultureInfo.InvariantCulture) : "–";
}
