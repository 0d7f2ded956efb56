using BeneficialRL.Analysis.Bootstrap;
using BeneficialRL.Analysis.HypothesisTests;

namespace BeneficialRL.Analysis.Durability;

/// <summary>Degradation of both arms on one group of items (all items, or one benchmark group of the Δ table).</summary>
/// <param name="Group">The group's name (<c>all</c> for the pooled comparison).</param>
/// <param name="Treatment">The treatment arm's degradation.</param>
/// <param name="Baseline">The baseline arm's degradation.</param>
/// <param name="DifferencePoints">Treatment degradation − baseline degradation in points with a bootstrap CI (items resampled within each arm); negative = the treatment's gains persist better.</param>
/// <param name="Welch">Welch's test on the per-item degradations of the two arms (score units).</param>
/// <param name="QValue">Benjamini–Hochberg q-value across the groups of a Δ table; null for a single comparison.</param>
public sealed record DegradationComparison(
    string Group,
    ArmDegradation Treatment,
    ArmDegradation Baseline,
    BootstrapInterval DifferencePoints,
    TTestResult Welch,
    double? QValue);
