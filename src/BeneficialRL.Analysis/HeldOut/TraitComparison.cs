using BeneficialRL.Analysis.Bootstrap;
using BeneficialRL.Analysis.Headline;

namespace BeneficialRL.Analysis.HeldOut;

/// <summary>One held-out trait: each arm's score with its CI and the treatment − baseline comparison.</summary>
/// <param name="Trait">The trait (the held-out suite's benchmark id for it).</param>
/// <param name="TreatmentScorePoints">Treatment mean score in points with a seeded percentile bootstrap CI.</param>
/// <param name="BaselineScorePoints">Baseline mean score in points with a seeded percentile bootstrap CI.</param>
/// <param name="Comparison">Delta in points with CI, Welch test and q-value across traits.</param>
public sealed record TraitComparison(
    string Trait,
    BootstrapInterval TreatmentScorePoints,
    BootstrapInterval BaselineScorePoints,
    BenchmarkComparison Comparison);
