using BeneficialRL.Analysis.Descriptive;

namespace BeneficialRL.Analysis.Bootstrap;

/// <summary>A statistic's point estimate with its bootstrap distribution summarised as an interval.</summary>
/// <param name="Estimate">The statistic on the original data.</param>
/// <param name="Interval">The bootstrap confidence interval.</param>
/// <param name="StandardError">Standard deviation of the bootstrap replicates.</param>
/// <param name="Resamples">Number of bootstrap resamples.</param>
/// <param name="Method">How the interval was formed.</param>
public sealed record BootstrapInterval(double Estimate, ConfidenceInterval Interval, double StandardError, int Resamples, BootstrapMethod Method)
{
    /// <summary>This estimate, interval and error multiplied by <paramref name="factor"/> (e.g. 100 for points).</summary>
    /// <param name="factor">A positive factor.</param>
    public BootstrapInterval Scale(double factor) =>
        this with { Estimate = Estimate * factor, Interval = Interval.Scale(factor), StandardError = StandardError * factor };
}
