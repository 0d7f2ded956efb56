namespace BeneficialRL.Analysis.Descriptive;

/// <summary>A two-sided confidence interval.</summary>
/// <param name="Lower">The lower bound.</param>
/// <param name="Upper">The upper bound.</param>
/// <param name="Level">The nominal coverage, e.g. 0.95.</param>
public sealed record ConfidenceInterval(double Lower, double Upper, double Level)
{
    /// <summary>Whether <paramref name="value"/> lies within the closed interval.</summary>
    /// <param name="value">The value to test.</param>
    public bool Contains(double value) => value >= Lower && value <= Upper;

    /// <summary>This interval multiplied by <paramref name="factor"/> (a positive scale, e.g. 100 for points).</summary>
    /// <param name="factor">A positive factor.</param>
    public ConfidenceInterval Scale(double factor) =>
        factor > 0
            ? new ConfidenceInterval(Lower * factor, Upper * factor, Level)
            : throw new ArgumentOutOfRangeException(nameof(factor), factor, "The scale factor must be positive.");
}
