using BeneficialRL.Analysis.Checkpoints;
using BeneficialRL.Analysis.Correlation;

namespace BeneficialRL.Analysis.Tests.Correlation;

public sealed class SpearmanCorrelationTests
{
    [Fact]
    public void Coefficient_TextbookIqVersusTelevision_IsMinus29Over165()
    {
        // The standard textbook example (IQ versus hours of television per week, 10 people, no ties):
        // sum of squared rank differences = 194, rho = 1 - 6*194 / (10*(100-1)) = -29/165 = -0.175757...
        double[] iq = [106, 100, 86, 101, 99, 103, 97, 113, 112, 110];
        double[] television = [7, 27, 2, 50, 28, 29, 20, 12, 6, 17];

        Assert.Equal(-29.0 / 165, SpearmanCorrelation.Coefficient(iq, television), 12);
    }

    [Fact]
    public void Coefficient_Ties_UseAverageRanks()
    {
        // x = {1,2,2,3} ranks {1, 2.5, 2.5, 4}; y ranks {1,2,3,4}. Deviations from 2.5: {-1.5,0,0,1.5} and {-1.5,-0.5,0.5,1.5};
        // cross sum 4.5, squares 4.5 and 5: rho = 4.5 / sqrt(22.5) = 0.9486833.
        Assert.Equal([1, 2.5, 2.5, 4], SpearmanCorrelation.AverageRanks([1, 2, 2, 3]));
        Assert.Equal(0.9486833, SpearmanCorrelation.Coefficient([1, 2, 2, 3], [10, 20, 30, 40]), 6);
    }

    [Fact]
    public void Coefficient_MonotoneButNonlinear_IsOne()
    {
        Assert.Equal(1.0, SpearmanCorrelation.Coefficient([1, 2, 3, 4, 5], [1, 8, 27, 64, 125]), 12);
        Assert.Equal(-1.0, SpearmanCorrelation.Coefficient([1, 2, 3, 4, 5], [5, 3, 1, 0, -7]), 12);
    }

    [Fact]
    public void Coefficient_ConstantSample_IsNaN()
    {
        Assert.True(double.IsNaN(SpearmanCorrelation.Coefficient([1, 1, 1], [1, 2, 3])));
    }

    [Fact]
    public void Matrix_Checkpoints_IsSymmetricWithUnitDiagonal()
    {
        var table = new CheckpointScoreTable(
            ["c1", "c2", "c3", "c4", "c5"],
            ["up", "down", "noisy", "flat"],
            [[1, 5, 2, 0], [2, 4, 1, 0], [3, 3, 4, 0], [4, 2, 3, 0], [5, 1, 5, 0]]);

        var matrix = SpearmanCorrelation.Matrix(table);

        Assert.Equal(1.0, matrix.Coefficients[0][0]);
        Assert.Equal(-1.0, matrix.Coefficients[0][1], 12);
        Assert.Equal(matrix.Coefficients[0][2], matrix.Coefficients[2][0]);
        // up ranks {1..5}, noisy ranks {2,1,4,3,5}: d² = 1+1+1+1+0 = 4, rho = 1 - 24/120 = 0.8.
        Assert.Equal(0.8, matrix.Coefficients[0][2], 12);
        Assert.True(double.IsNaN(matrix.Coefficients[3][3]));
        Assert.True(double.IsNaN(matrix.Coefficients[0][3]));
    }
}
