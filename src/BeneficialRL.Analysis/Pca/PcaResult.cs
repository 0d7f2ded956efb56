namespace BeneficialRL.Analysis.Pca;

/// <summary>Principal components of the standardised checkpoint × benchmark score matrix.</summary>
/// <param name="Benchmarks">The benchmarks analysed (columns with variation over checkpoints).</param>
/// <param name="ExcludedConstantBenchmarks">Benchmarks left out because their score never changes (a z-score is undefined).</param>
/// <param name="Eigenvalues">Variances of the components, largest first (they sum to the number of benchmarks analysed).</param>
/// <param name="ExplainedVarianceRatios">Eigenvalue / sum of eigenvalues, largest first.</param>
/// <param name="Loadings"><c>Loadings[k][j]</c>: weight of benchmark j in component k (unit-length eigenvectors, sign chosen so the largest-magnitude weight is positive).</param>
/// <param name="CheckpointScores"><c>CheckpointScores[i][k]</c>: checkpoint i's coordinate on component k.</param>
public sealed record PcaResult(
    IReadOnlyList<string> Benchmarks,
    IReadOnlyList<string> ExcludedConstantBenchmarks,
    IReadOnlyList<double> Eigenvalues,
    IReadOnlyList<double> ExplainedVarianceRatios,
    IReadOnlyList<IReadOnlyList<double>> Loadings,
    IReadOnlyList<IReadOnlyList<double>> CheckpointScores);
