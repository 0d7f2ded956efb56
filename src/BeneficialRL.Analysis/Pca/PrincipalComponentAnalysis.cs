using BeneficialRL.Analysis.Bootstrap;
using BeneficialRL.Analysis.Checkpoints;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Statistics;

namespace BeneficialRL.Analysis.Pca;

/// <summary>
/// PCA of checkpoints × benchmarks with standardised columns (i.e. of the benchmarks' correlation
/// matrix), and a permutation null for the first component: do benchmark scores move together across
/// checkpoints (one "general beneficial factor"), or no more than chance?
/// </summary>
public static class PrincipalComponentAnalysis
{
    /// <summary>Fits the components.</summary>
    /// <param name="table">At least three checkpoints and two benchmarks that vary.</param>
    public static PcaResult Fit(CheckpointScoreTable table)
    {
        var (z, benchmarks, excluded) = Standardize(table);
        var covariance = Correlation(z);
        var evd = covariance.Evd(Symmetricity.Symmetric);
        var order = Enumerable.Range(0, covariance.RowCount).OrderByDescending(k => evd.EigenValues[k].Real).ToArray();
        // Tiny negative eigenvalues are rounding noise of a rank-deficient matrix (fewer checkpoints than benchmarks).
        var eigenvalues = order.Select(k => Math.Max(0, evd.EigenValues[k].Real)).ToArray();
        var total = eigenvalues.Sum();
        var loadings = new List<IReadOnlyList<double>>();
        foreach (var k in order)
        {
            var vector = evd.EigenVectors.Column(k);
            var largest = vector.AbsoluteMaximumIndex();
            if (vector[largest] < 0)
            {
                vector = vector.Negate();
            }

            loadings.Add(vector.ToArray());
        }

        var loadingMatrix = Matrix<double>.Build.DenseOfColumnArrays(loadings.Select(l => l.ToArray()));
        var projected = z * loadingMatrix;
        var scores = Enumerable.Range(0, projected.RowCount).Select(i => (IReadOnlyList<double>)projected.Row(i).ToArray()).ToList();
        return new PcaResult(benchmarks, excluded, eigenvalues, eigenvalues.Select(e => e / total).ToArray(), loadings, scores);
    }

    /// <summary>
    /// Permutation null of the first component's explained-variance ratio: each benchmark's column is
    /// shuffled independently over the checkpoints (destroying co-movement, keeping each marginal), the
    /// ratio recomputed, and the p-value is the share of permutations reaching the observed ratio.
    /// </summary>
    /// <param name="table">At least three checkpoints and two benchmarks that vary.</param>
    /// <param name="permutations">Number of permutations (at least 99).</param>
    /// <param name="seed">Seed of the shuffles.</param>
    public static PcaPermutationResult PermutationTest(CheckpointScoreTable table, int permutations, int seed)
    {
        if (permutations < 99)
        {
            throw new ArgumentOutOfRangeException(nameof(permutations), permutations, "At least 99 permutations are needed for a usable p-value.");
        }

        var (z, _, _) = Standardize(table);
        var observed = FirstRatio(z);
        var random = SeededRandom.Create(seed);
        var columns = Enumerable.Range(0, z.ColumnCount).Select(j => z.Column(j).ToArray()).ToArray();
        var shuffled = Matrix<double>.Build.Dense(z.RowCount, z.ColumnCount);
        var nulls = new double[permutations];
        var atLeastObserved = 0;
        for (var p = 0; p < permutations; p++)
        {
            for (var j = 0; j < columns.Length; j++)
            {
                Shuffle(columns[j], random);
                shuffled.SetColumn(j, columns[j]);
            }

            nulls[p] = FirstRatio(shuffled);
            // A small tolerance so a permutation that reproduces the data (ties, tiny n) counts as reaching it.
            if (nulls[p] >= observed - 1e-12)
            {
                atLeastObserved++;
            }
        }

        return new PcaPermutationResult(
            observed,
            nulls.Average(),
            nulls.Quantile(0.95),
            (1.0 + atLeastObserved) / (1.0 + permutations),
            permutations);
    }

    private static double FirstRatio(Matrix<double> z)
    {
        var eigenvalues = Correlation(z).Evd(Symmetricity.Symmetric).EigenValues.Select(e => Math.Max(0, e.Real)).ToArray();
        return eigenvalues.Max() / eigenvalues.Sum();
    }

    private static Matrix<double> Correlation(Matrix<double> z) => z.TransposeThisAndMultiply(z) / (z.RowCount - 1);

    private static (Matrix<double> Z, IReadOnlyList<string> Benchmarks, IReadOnlyList<string> Excluded) Standardize(CheckpointScoreTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Checkpoints.Count < 3)
        {
            throw new ArgumentException($"PCA across checkpoints needs at least three checkpoints; the table has {table.Checkpoints.Count}.", nameof(table));
        }

        var kept = new List<double[]>();
        var benchmarks = new List<string>();
        var excluded = new List<string>();
        for (var j = 0; j < table.Benchmarks.Count; j++)
        {
            var column = table.Column(j);
            var (mean, variance) = column.MeanVariance();
            if (!(variance > 0))
            {
                excluded.Add(table.Benchmarks[j]);
                continue;
            }

            var sd = Math.Sqrt(variance);
            kept.Add(column.Select(v => (v - mean) / sd).ToArray());
            benchmarks.Add(table.Benchmarks[j]);
        }

        if (kept.Count < 2)
        {
            throw new ArgumentException($"PCA needs at least two benchmarks whose score varies over checkpoints; {kept.Count} do (constant: {string.Join(", ", excluded)}).", nameof(table));
        }

        return (Matrix<double>.Build.DenseOfColumnArrays(kept), benchmarks, excluded);
    }

    private static void Shuffle(double[] values, System.Random random)
    {
        for (var i = values.Length - 1; i > 0; i--)
        {
            var k = random.Next(i + 1);
            (values[i], values[k]) = (values[k], values[i]);
        }
    }
}
