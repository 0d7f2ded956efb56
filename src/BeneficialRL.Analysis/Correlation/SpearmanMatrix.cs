namespace BeneficialRL.Analysis.Correlation;

/// <summary>Spearman rank correlations between every pair of benchmarks over the checkpoints.</summary>
/// <param name="Benchmarks">Row and column labels.</param>
/// <param name="Coefficients"><c>Coefficients[i][j]</c> = ρ(benchmark i, benchmark j); symmetric, 1 on the diagonal, NaN where a benchmark is constant over the checkpoints.</param>
public sealed record SpearmanMatrix(IReadOnlyList<string> Benchmarks, IReadOnlyList<IReadOnlyList<double>> Coefficients);
