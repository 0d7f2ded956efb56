using BeneficialRL.Analysis.Descriptive;

namespace BeneficialRL.Analysis.Durability;

/// <summary>The alignment half-life of one arm with its bootstrap CI.</summary>
/// <param name="HalfLife">Dose at which half of the clean-to-floor gap is lost (linear interpolation between rungs); +∞ when the curve never falls that far within the ladder.</param>
/// <param name="Interval">Percentile bootstrap CI over items; a bound is +∞ when enough resamples never reach the half-way score.</param>
/// <param name="CleanScore">Mean score at the smallest dose.</param>
/// <param name="FloorScore">The floor: the given one, or the mean score at the largest dose.</param>
/// <param name="Curve">The mean score at each dose, in dose order.</param>
/// <param name="Items">Items scored at every dose (the sample resampled).</param>
/// <param name="ShareBeyondLadder">Share of bootstrap resamples whose half-life lies beyond the ladder (+∞).</param>
public sealed record HalfLifeEstimate(
    double HalfLife,
    ConfidenceInterval Interval,
    double CleanScore,
    double FloorScore,
    IReadOnlyList<DoseCurvePoint> Curve,
    int Items,
    double ShareBeyondLadder);
