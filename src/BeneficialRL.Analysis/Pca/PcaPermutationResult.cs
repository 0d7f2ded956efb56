namespace BeneficialRL.Analysis.Pca;

/// <summary>
/// Whether the first principal component explains more variance than it would if benchmarks were unrelated.
/// </summary>
/// <param name="ObservedFirstRatio">Explained-variance ratio of the first component on the real data.</param>
/// <param name="NullMeanFirstRatio">Mean of that ratio over the permutations.</param>
/// <param name="NullUpperQuantileFirstRatio">95th percentile of that ratio over the permutations.</param>
/// <param name="PValue">(1 + permutations with a ratio ≥ observed) / (1 + permutations).</param>
/// <param name="Permutations">Number of permutations.</param>
public sealed record PcaPermutationResult(
    double ObservedFirstRatio,
    double NullMeanFirstRatio,
    double NullUpperQuantileFirstRatio,
    double PValue,
    int Permutations);
