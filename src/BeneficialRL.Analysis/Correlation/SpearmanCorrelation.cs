using BeneficialRL.Analysis.Checkpoints;
using MathNet.Numerics.Statistics;

namespace BeneficialRL.Analysis.Correlation;

/// <summary>
/// Spearman's rank correlation: Pearson's correlation of the ranks, ties given their average rank
/// (MathNet's <see cref="MathNet.Numerics.Statistics.Correlation.Spearman"/>).
/// </summary>
public static class SpearmanCorrelation
{
    /// <summary>ρ between two equally long samples; NaN when either is constant.</summary>
    /// <param name="x">First sample, at least two values.</param>
    /// <param name="y">Second sample, same length.</param>
    public static double Coefficient(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"Spearman's correlation needs samples of equal length (x has {x.Count}, y has {y.Count}).", nameof(y));
        }

        if (x.Count < 2)
        {
            throw new ArgumentException($"Spearman's correlation needs at least two pairs; got {x.Count}.", nameof(x));
        }

        if (IsConstant(x) || IsConstant(y))
        {
            return double.NaN;
        }

        return MathNet.Numerics.Statistics.Correlation.Spearman(x, y);
    }

    /// <summary>The ranks of <paramref name="values"/> (1-based), ties given their average rank.</summary>
    /// <param name="values">The values to rank.</param>
    public static double[] AverageRanks(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.ToArray().Ranks(RankDefinition.Average);
    }

    /// <summary>The benchmark × benchmark matrix of ρ over the table's checkpoints.</summary>
    /// <param name="table">At least two checkpoints.</param>
    public static SpearmanMatrix Matrix(CheckpointScoreTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Checkpoints.Count < 2)
        {
            throw new ArgumentException($"Correlations over checkpoints need at least two checkpoints; the table has {table.Checkpoints.Count}.", nameof(table));
        }

        var p = table.Benchmarks.Count;
        var columns = Enumerable.Range(0, p).Select(table.Column).ToArray();
        var matrix = new double[p][];
        for (var i = 0; i < p; i++)
        {
            matrix[i] = new double[p];
        }

        for (var i = 0; i < p; i++)
        {
            matrix[i][i] = IsConstant(columns[i]) ? double.NaN : 1.0;
            for (var j = i + 1; j < p; j++)
            {
                matrix[i][j] = matrix[j][i] = Coefficient(columns[i], columns[j]);
            }
        }

        return new SpearmanMatrix(table.Benchmarks, matrix);
    }

    private static bool IsConstant(IReadOnlyList<double> values) => values.All(v => v == values[0]);
}
