namespace BeneficialRL.Analysis;

/// <summary>
/// Settings shared by the comparisons of the analysis library. Every random step is driven by
/// <see cref="Seed"/>, so the same inputs and options always give the same report.
/// </summary>
public sealed record AnalysisOptions
{
    /// <summary>The default options: 95% intervals, FDR 0.05, 2,000 bootstrap resamples, seed 20251.</summary>
    public static AnalysisOptions Default { get; } = new();

    /// <summary>Coverage of every confidence interval, in (0, 1). Default 0.95.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>False-discovery rate at which Benjamini–Hochberg q-values count as significant. Default 0.05.</summary>
    public double FalseDiscoveryRate { get; init; } = 0.05;

    /// <summary>Bootstrap resamples per interval. Default 2,000.</summary>
    public int BootstrapResamples { get; init; } = 2000;

    /// <summary>Root seed; each benchmark, trait or cell derives its own seed from it and its name.</summary>
    public int Seed { get; init; } = 20251;

    /// <summary>
    /// Factor from score units to reported points. Scores are fractions in [0, 1], so the default 100
    /// reports differences in percentage points.
    /// </summary>
    public double PointsPerUnit { get; init; } = 100.0;

    /// <summary>
    /// The per-benchmark effect, in points, for which the power of the seed-level test is reported. Default 5
    /// (the paper's scale of per-benchmark gains); fixed before looking at any result.
    /// </summary>
    public double PowerEffectPoints { get; init; } = 5.0;

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ConfidenceLevel), ConfidenceLevel, "ConfidenceLevel must lie strictly between 0 and 1.");
        }

        if (!(FalseDiscoveryRate > 0 && FalseDiscoveryRate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(FalseDiscoveryRate), FalseDiscoveryRate, "FalseDiscoveryRate must lie strictly between 0 and 1.");
        }

        if (BootstrapResamples < 100)
        {
            throw new ArgumentOutOfRangeException(nameof(BootstrapResamples), BootstrapResamples, "BootstrapResamples must be at least 100 for a usable percentile interval.");
        }

        if (!(PointsPerUnit > 0) || double.IsInfinity(PointsPerUnit))
        {
            throw new ArgumentOutOfRangeException(nameof(PointsPerUnit), PointsPerUnit, "PointsPerUnit must be a positive finite number.");
        }

        if (!(PowerEffectPoints > 0) || double.IsInfinity(PowerEffectPoints))
        {
            throw new ArgumentOutOfRangeException(nameof(PowerEffectPoints), PowerEffectPoints, "PowerEffectPoints must be a positive finite number.");
        }
    }
}
