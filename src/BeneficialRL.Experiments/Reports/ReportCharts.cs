using BeneficialRL.Analysis.Headline;
using BeneficialRL.Analysis.Transfer;
using BeneficialRL.Experiments.Analysis;
using ScottPlot;

namespace BeneficialRL.Experiments.Reports;

/// <summary>The report's PNG plots, rendered headless with ScottPlot (SkiaSharp).</summary>
public static class ReportCharts
{
    private const int Width = 900;

    /// <summary>Per-benchmark treatment − baseline deltas (points) with CIs, sorted by delta as in the paper's figure.</summary>
    public static byte[] Deltas(string title, IReadOnlyList<BenchmarkComparison> comparisons)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        var sorted = comparisons.OrderBy(c => c.DeltaPoints.Estimate).ToList();
        var plot = new Plot();
        for (var i = 0; i < sorted.Count; i++)
        {
            var c = sorted[i];
            var color = c.SignificantImprovement ? Colors.ForestGreen : c.SignificantRegression ? Colors.Crimson : Colors.SlateGray;
            var line = plot.Add.Line(c.DeltaPoints.Interval.Lower, i, c.DeltaPoints.Interval.Upper, i);
            line.LineColor = color;
            line.LineWidth = 2;
            var marker = plot.Add.Marker(c.DeltaPoints.Estimate, i);
            marker.Color = color;
        }

        plot.Add.VerticalLine(0, 1, Colors.Black);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, sorted.Count).Select(i => (double)i)],
            [.. sorted.Select(c => c.BenchmarkId)]);
        plot.Title(title);
        plot.XLabel("treatment − baseline (points, 95% CI)");
        return plot.GetImageBytes(Width, Math.Max(300, 90 + (18 * sorted.Count)), ImageFormat.Png);
    }

    /// <summary>Training reward per step, one line per run.</summary>
    public static byte[] TrainingReward(IReadOnlyList<RunCurve> curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var plot = new Plot();
        foreach (var curve in curves.Where(c => c.RewardPerStep.Count > 0))
        {
            var ys = curve.RewardPerStep.Select(r => double.IsFinite(r) ? r : 0).ToArray();
            var scatter = plot.Add.Scatter(Enumerable.Range(1, ys.Length).Select(i => (double)i).ToArray(), ys);
            scatter.LegendText = $"{curve.Arm} (seed {curve.Seed})";
            scatter.MarkerSize = 0;
        }

        plot.Title("Training reward per GRPO step");
        plot.XLabel("RL step");
        plot.YLabel("mean reward");
        plot.ShowLegend();
        return plot.GetImageBytes(Width, 420, ImageFormat.Png);
    }

    /// <summary>Held-out trait score at each evaluated checkpoint, one line per run.</summary>
    public static byte[] HeldOutCurves(IReadOnlyList<RunCurve> curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var plot = new Plot();
        foreach (var curve in curves)
        {
            var points = curve.Checkpoints.Where(p => double.IsFinite(p.HeldOutScore)).ToList();
            if (points.Count == 0)
            {
                continue;
            }

            var scatter = plot.Add.Scatter(points.Select(p => (double)p.Step).ToArray(), points.Select(p => p.HeldOutScore * 100).ToArray());
            scatter.LegendText = $"{curve.Arm} (seed {curve.Seed})";
        }

        plot.Title("Held-out trait score over RL steps");
        plot.XLabel("RL step");
        plot.YLabel("held-out score (points)");
        plot.ShowLegend();
        return plot.GetImageBytes(Width, 420, ImageFormat.Png);
    }

    /// <summary>The transfer matrix as a heatmap of deltas in points (untested cells are 0).</summary>
    public static byte[] Transfer(TransferMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var rows = matrix.TrainingConditions.Count;
        var columns = matrix.EvaluationDomains.Count;
        var values = new double[rows, columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                values[r, c] = matrix.Cells[r][c].DeltaPoints?.Estimate ?? 0;
            }
        }

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(heatmap);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, columns).Select(i => (double)i)], [.. matrix.EvaluationDomains]);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, rows).Select(i => (double)(rows - 1 - i))], [.. matrix.TrainingConditions]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 120; // room for the rotated domain names
        plot.Title("Transfer: training condition × evaluation domain (Δ points)");
        return plot.GetImageBytes(Width, 260 + (40 * rows), ImageFormat.Png);
    }
}
