using BeneficialRL.Analysis.Checkpoints;
using BeneficialRL.Analysis.Pca;
using MathNet.Numerics.Distributions;

namespace BeneficialRL.Analysis.Tests.Pca;

public sealed class PrincipalComponentAnalysisTests
{
    [Fact]
    public void Fit_TwoCorrelatedColumns_EigenvaluesAreOnePlusMinusR()
    {
        // x = {1,2,3,4}, y = {1,3,2,4}: deviations {-1.5,-0.5,0.5,1.5} and {-1.5,0.5,-0.5,1.5}; cross sum 4, squares 5 each, r = 0.8.
        // The 2x2 correlation matrix has eigenvalues 1.8 and 0.2 (ratios 0.9, 0.1), eigenvectors (1,1)/sqrt 2 and (1,-1)/sqrt 2.
        var table = new CheckpointScoreTable(["c1", "c2", "c3", "c4"], ["x", "y"], [[1, 1], [2, 3], [3, 2], [4, 4]]);

        var pca = PrincipalComponentAnalysis.Fit(table);

        Assert.Equal(1.8, pca.Eigenvalues[0], 10);
        Assert.Equal(0.2, pca.Eigenvalues[1], 10);
        Assert.Equal(0.9, pca.ExplainedVarianceRatios[0], 10);
        Assert.Equal(1 / Math.Sqrt(2), pca.Loadings[0][0], 10);
        Assert.Equal(1 / Math.Sqrt(2), pca.Loadings[0][1], 10);
        Assert.Equal(4, pca.CheckpointScores.Count);
        // Checkpoint 1: z = (-1.5, -1.5)/sd, sd = sqrt(5/3); score on PC1 = -3/sd/sqrt 2 = -1.6431677.
        Assert.Equal(-1.6431677, pca.CheckpointScores[0][0], 6);
    }

    [Fact]
    public void PermutationTest_PlantedSingleFactor_FirstComponentDominatesAndPIsSmall()
    {
        var table = FactorTable(seed: 1, factorWeight: 1.0);

        var pca = PrincipalComponentAnalysis.Fit(table);
        var test = PrincipalComponentAnalysis.PermutationTest(table, 199, seed: 5);

        Assert.True(pca.ExplainedVarianceRatios[0] > 0.7);
        Assert.Equal(pca.ExplainedVarianceRatios[0], test.ObservedFirstRatio, 10);
        Assert.Equal(1.0 / 200, test.PValue, 12);
        Assert.True(test.NullUpperQuantileFirstRatio < test.ObservedFirstRatio);
    }

    [Fact]
    public void PermutationTest_PureNoise_PIsNotSmall()
    {
        var table = FactorTable(seed: 2, factorWeight: 0.0);

        var test = PrincipalComponentAnalysis.PermutationTest(table, 199, seed: 5);

        Assert.True(test.PValue > 0.1, $"p = {test.PValue}");
        Assert.InRange(test.ObservedFirstRatio, test.NullMeanFirstRatio * 0.7, test.NullMeanFirstRatio * 1.3);
    }

    [Fact]
    public void Fit_RatiosSumToOneAndConstantColumnsAreExcluded()
    {
        var random = new Random(3);
        var rows = Enumerable.Range(0, 6).Select(_ => (IReadOnlyList<double>)[random.NextDouble(), random.NextDouble(), 0.5, random.NextDouble()]).ToList();
        var table = new CheckpointScoreTable(["a", "b", "c", "d", "e", "f"], ["p", "q", "flat", "r"], rows);

        var pca = PrincipalComponentAnalysis.Fit(table);

        Assert.Equal(["flat"], pca.ExcludedConstantBenchmarks);
        Assert.Equal(["p", "q", "r"], pca.Benchmarks);
        Assert.Equal(1.0, pca.ExplainedVarianceRatios.Sum(), 10);
        Assert.Equal(3.0, pca.Eigenvalues.Sum(), 10);
    }

    [Fact]
    public void Fit_TooFewCheckpoints_Throws()
    {
        var table = new CheckpointScoreTable(["a", "b"], ["x", "y"], [[1, 2], [2, 1]]);

        Assert.Throws<ArgumentException>(() => PrincipalComponentAnalysis.Fit(table));
    }

    private static CheckpointScoreTable FactorTable(int seed, double factorWeight)
    {
        // 20 checkpoints x 8 benchmarks: score = weight * loading_j * factor_i + noise.
        var random = new Random(seed);
        const int checkpoints = 20;
        const int benchmarks = 8;
        var factor = Enumerable.Range(0, checkpoints).Select(_ => Normal.Sample(random, 0, 1)).ToArray();
        var loadings = Enumerable.Range(0, benchmarks).Select(_ => 0.7 + (0.3 * random.NextDouble())).ToArray();
        var rows = Enumerable.Range(0, checkpoints)
            .Select(i => (IReadOnlyList<double>)Enumerable.Range(0, benchmarks).Select(j => (factorWeight * loadings[j] * factor[i]) + Normal.Sample(random, 0, 0.3)).ToArray())
            .ToList();
        return new CheckpointScoreTable(
            Enumerable.Range(0, checkpoints).Select(i => $"step-{i}").ToList(),
            Enumerable.Range(0, benchmarks).Select(j => $"bench-{j}").ToList(),
            rows);
    }
}
