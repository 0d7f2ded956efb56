namespace BeneficialRL.Analysis.SeedLevel;

/// <summary>
/// Seed-level paired comparison of two arms over a family of benchmarks: a per-benchmark estimate with
/// BH q-values (secondary) and power, and the family's endpoint (the mean over benchmarks of the paired gain).
/// </summary>
/// <param name="Benchmarks">Per-benchmark estimates, ordered by benchmark id (ordinal).</param>
/// <param name="Endpoint">The mean over benchmarks of the per-benchmark paired gain, with its seed-level CI (per seed pair the mean over benchmarks, then t across seed pairs).</param>
/// <param name="SeedPairs">Seed pairs of the endpoint (replicates both arms ran on every benchmark).</param>
/// <param name="ConditionalOnRuns">True when fewer than two seed pairs: nothing here is a claim about the method.</param>
/// <param name="SignificantImprovements">Benchmarks with seed-level BH q ≤ FDR and a positive estimate (0 when S &lt; 2).</param>
/// <param name="SignificantRegressions">Benchmarks with seed-level BH q ≤ FDR and a negative estimate (0 when S &lt; 2).</param>
/// <param name="MeanPower">Mean over benchmarks of the power at the unadjusted level for <paramref name="PowerEffectPoints"/>: the expected share detected if every benchmark moved by that much (an upper bound for BH); null when S &lt; 2.</param>
/// <param name="MeanPowerAdjusted">The same at the Bonferroni level (a lower bound for BH); null when S &lt; 2.</param>
/// <param name="PowerEffectPoints">The effect the power is computed for, in points.</param>
/// <param name="FalseDiscoveryRate">The FDR of the q-values.</param>
public sealed record SeedLevelReport(
    IReadOnlyList<SeedLevelEstimate> Benchmarks,
    SeedLevelEstimate Endpoint,
    int SeedPairs,
    bool ConditionalOnRuns,
    int SignificantImprovements,
    int SignificantRegressions,
    double? MeanPower,
    double? MeanPowerAdjusted,
    double PowerEffectPoints,
    double FalseDiscoveryRate);
