using BeneficialRL.Analysis.Bootstrap;
using BeneficialRL.Analysis.Descriptive;
using BeneficialRL.Analysis.HypothesisTests;

namespace BeneficialRL.Analysis.SeedLevel;

/// <summary>
/// A paired treatment − baseline difference with seed-level inference (the training run is the unit of
/// replication) and, always, the item-level paired interval that is conditional on these runs.
/// </summary>
/// <param name="Name">Benchmark id, or the endpoint's name.</param>
/// <param name="SeedPairs">Seed pairs that entered (S).</param>
/// <param name="PerSeedPair">The difference of each seed pair.</param>
/// <param name="EstimatePoints">Mean over seed pairs of the per-seed-pair differences, in points.</param>
/// <param name="SeedLevelTest">t-test across seed pairs with S − 1 df, in points; null when S &lt; 2 (no p-value is claimed).</param>
/// <param name="SeedLevelInterval">t interval across seed pairs, estimate ± t₍S−1₎·SE, in points; null when S &lt; 2.</param>
/// <param name="TwoLevelBootstrap">Percentile interval of a two-level bootstrap (seed pairs, then items within each), in points; null when S &lt; 2.</param>
/// <param name="ItemLevelInterval">Paired interval across items of the seed-pair-averaged item differences, in points: conditional on these runs (run-to-run variance is not in it).</param>
/// <param name="ItemLevelTest">Paired t-test across items, in points: conditional on these runs, never a claim about the method.</param>
/// <param name="BetweenSeedStandardDeviationPoints">Estimated SD of the per-seed-pair difference beyond item noise, √max(0, s²(dₛ) − mean(s²ᵢₜₑₘ,ₛ/nₛ)), in points; null when S &lt; 2.</param>
/// <param name="ItemStandardDeviationPoints">Pooled within-seed-pair SD of the item differences, in points.</param>
/// <param name="ItemsPerSeedPair">Mean number of common items per seed pair.</param>
/// <param name="Power">Power of the seed-level t-test for an effect of <see cref="AnalysisOptions.PowerEffectPoints"/> with these S and items, at the
/// observed variances: per benchmark at the unadjusted level (the FDR), for an endpoint at 1 − confidence level; null when S &lt; 2.</param>
/// <param name="PowerAdjusted">Per benchmark, the same power at the Bonferroni level FDR / m (m tests in the family): BH's power lies between the two;
/// null when S &lt; 2 and for an endpoint (a single pre-registered test).</param>
/// <param name="QValue">Benjamini–Hochberg q-value of the seed-level p-value across the family (secondary); null when S &lt; 2 or for an endpoint.</param>
/// <param name="SignificantImprovement">q ≤ FDR and estimate above 0 (false when S &lt; 2).</param>
/// <param name="SignificantRegression">q ≤ FDR and estimate below 0 (false when S &lt; 2).</param>
/// <param name="ConditionalOnRuns">True when S &lt; 2: every interval describes these runs, not the method.</param>
/// <param name="Label">What the uncertainty describes, to print next to the interval.</param>
public sealed record SeedLevelEstimate(
    string Name,
    int SeedPairs,
    IReadOnlyList<SeedPairDifference> PerSeedPair,
    double EstimatePoints,
    TTestResult? SeedLevelTest,
    ConfidenceInterval? SeedLevelInterval,
    BootstrapInterval? TwoLevelBootstrap,
    ConfidenceInterval ItemLevelInterval,
    TTestResult? ItemLevelTest,
    double? BetweenSeedStandardDeviationPoints,
    double ItemStandardDeviationPoints,
    double ItemsPerSeedPair,
    double? Power,
    double? PowerAdjusted,
    double? QValue,
    bool SignificantImprovement,
    bool SignificantRegression,
    bool ConditionalOnRuns,
    string Label);
