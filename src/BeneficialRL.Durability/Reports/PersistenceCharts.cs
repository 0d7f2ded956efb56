using BeneficialRL.Durability.Adversarial;
using BeneficialRL.Durability.Running;
using ScottPlot;

namespace BeneficialRL.Durability.Reports;

/// <summary>The persistence section's PNG plots, rendered headless with ScottPlot (SkiaSharp).</summary>
public static class PersistenceCharts
{
    private const int Width = 900;

    private static readonly Color[] Palette = [Colors.SteelBlue, Colors.DarkOrange, Colors.ForestGreen, Colors.Crimson, Colors.MediumPurple, Colors.SaddleBrown];

    /// <summary>Degradation (clean − attacked, points, 95% CI) per attack, one colour per subject, attacks on the vertical axis.</summary>
    public static byte[] DegradationPerAttack(IReadOnlyList<SubjectAdversarialResult> subjects)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        var attacks = subjects.SelectMany(s => s.Attacks.Select(a => a.AttackId)).Distinct(StringComparer.Ordinal).ToList();
        var plot = new Plot();
        var offset = subjects.Count <= 1 ? 0 : 0.5 / subjects.Count;
        for (var s = 0; s < subjects.Count; s++)
        {
            var color = Palette[s % Palette.Length];
            var y0 = (s - ((subjects.Count - 1) / 2.0)) * offset;
            var first = true;
            foreach (var outcome in subjects[s].Attacks)
            {
                var y = attacks.IndexOf(outcome.AttackId) + y0;
                var d = outcome.Degradation.DegradationPoints;
                var line = plot.Add.Line(d.Interval.Lower, y, d.Interval.Upper, y);
                line.LineColor = color;
                line.LineWidth = 2;
                var marker = plot.Add.Marker(d.Estimate, y);
                marker.Color = color;
                if (first)
                {
                    marker.LegendText = subjects[s].Subject;
                    first = false;
                }
            }
        }

        plot.Add.VerticalLine(0, 1, Colors.Black);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. Enumerable.Range(0, attacks.Count).Select(i => (double)i)], [.. attacks]);
        plot.Title("Degradation under attack (clean − attacked)");
        plot.XLabel("points lost, 95% CI (negative = the attack raised the score)");
        plot.ShowLegend();
        return plot.GetImageBytes(Width, Math.Max(320, 110 + (30 * attacks.Count)), ImageFormat.Png);
    }

    /// <summary>Mean score per dose of harmful fine-tuning, per subject: in-domain solid, out-of-domain dashed.</summary>
    public static byte[] DoseCurves(IReadOnlyList<SubjectFineTuningResult> subjects)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        var plot = new Plot();
        for (var s = 0; s < subjects.Count; s++)
        {
            var color = Palette[s % Palette.Length];
            var doses = subjects[s].Rungs.Select(r => (double)r.Lineage.Dose).ToArray();
            var inDomain = plot.Add.Scatter(doses, [.. subjects[s].Rungs.Select(r => Finite(r.InDomainMeanPoints))]);
            inDomain.Color = color;
            inDomain.LegendText = $"{subjects[s].Subject} in-domain";
            var outOfDomain = plot.Add.Scatter(doses, [.. subjects[s].Rungs.Select(r => Finite(r.OutOfDomainMeanPoints))]);
            outOfDomain.Color = color;
            outOfDomain.LinePattern = LinePattern.Dashed;
            outOfDomain.LegendText = $"{subjects[s].Subject} out-of-domain";
        }

        var domain = subjects.Count > 0 ? subjects[0].Domain : "";
        plot.Title($"Harmful fine-tuning on {domain} advice: score per dose");
        plot.XLabel("SFT steps on misaligned advice (cumulative)");
        plot.YLabel("mean score (points)");
        plot.ShowLegend();
        return plot.GetImageBytes(Width, 440, ImageFormat.Png);
    }

    private static double Finite(double value) => double.IsFinite(value) ? value : 0;
}
