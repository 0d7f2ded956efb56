using BeneficialRL.Analysis.Descriptive;

namespace BeneficialRL.Analysis.Durability;

/// <summary>Treatment versus baseline alignment half-life.</summary>
/// <param name="Treatment">The treatment arm's half-life.</param>
/// <param name="Baseline">The baseline arm's half-life.</param>
/// <param name="DifferenceDose">Treatment − baseline half-life in dose units (positive = the treatment's behaviour lasts longer); +∞ when only the treatment never reaches half-way, NaN when neither does.</param>
/// <param name="Interval">Percentile bootstrap CI of the difference over resamples where it is defined; NaN bounds when it never is.</param>
/// <param name="ShareUndefined">Share of resamples where neither arm reached half-way within the ladder.</param>
public sealed record HalfLifeComparison(
    HalfLifeEstimate Treatment,
    HalfLifeEstimate Baseline,
    double DifferenceDose,
    ConfidenceInterval Interval,
    double ShareUndefined);
