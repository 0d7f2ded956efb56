namespace BeneficialRL.Analysis.SeedLevel;

/// <summary>
/// One seed pair on one benchmark (or one endpoint): the mean over common items of treatment − baseline,
/// where both runs share the seed index (and so the base checkpoint and sampling seed).
/// </summary>
/// <param name="Replicate">The seed index shared by the treatment run and the baseline run.</param>
/// <param name="Items">Items both runs scored.</param>
/// <param name="MeanDifferencePoints">Mean paired difference over those items, in points.</param>
/// <param name="ItemStandardDeviationPoints">Sample SD of the item differences in points (0 with one item); for an endpoint, the root mean of the benchmarks' item variances.</param>
public sealed record SeedPairDifference(int Replicate, int Items, double MeanDifferencePoints, double ItemStandardDeviationPoints);
