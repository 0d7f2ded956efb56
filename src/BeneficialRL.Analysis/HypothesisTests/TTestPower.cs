using MathNet.Numerics.Distributions;
using MathNet.Numerics.Integration;

namespace BeneficialRL.Analysis.HypothesisTests;

/// <summary>
/// Power of the two-sided one-sample (or paired) t-test, computed exactly from the noncentral t distribution.
/// </summary>
/// <remarks>
/// Under an effect δ with standard error SE the statistic is T' = (Z + λ) / √(V/ν), λ = δ/SE, Z standard normal,
/// V ~ χ²(ν). Conditioning on X = √V (a chi variable) gives
/// power = ∫₀^∞ [1 − Φ(c·x/√ν − λ) + Φ(−c·x/√ν − λ)] f_χ(x; ν) dx, c = t₁₋α/₂,ν,
/// integrated with a Gauss–Legendre rule (the chi density is smooth for ν ≥ 1, unlike the χ² density at 0).
/// MathNet has no noncentral t, and a normal approximation overstates power badly at the 1–4 degrees of
/// freedom a seed-level test has.
/// </remarks>
public static class TTestPower
{
    /// <summary>Probability that the two-sided level-<paramref name="alpha"/> t-test rejects when the true effect over its standard error is <paramref name="noncentrality"/>.</summary>
    /// <param name="noncentrality">λ = true effect / standard error of the estimate (sign irrelevant).</param>
    /// <param name="degreesOfFreedom">ν ≥ 1.</param>
    /// <param name="alpha">Two-sided level in (0, 1).</param>
    public static double TwoSided(double noncentrality, double degreesOfFreedom, double alpha)
    {
        if (!(degreesOfFreedom >= 1) || double.IsInfinity(degreesOfFreedom))
        {
            throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), degreesOfFreedom, "The t-test needs at least one finite degree of freedom.");
        }

        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must lie strictly between 0 and 1.");
        }

        if (double.IsNaN(noncentrality))
        {
            throw new ArgumentException("The noncentrality must be a number.", nameof(noncentrality));
        }

        var lambda = Math.Abs(noncentrality);
        if (double.IsPositiveInfinity(lambda))
        {
            return 1;
        }

        var critical = StudentT.InvCDF(0, 1, degreesOfFreedom, 1 - (alpha / 2));
        var scale = critical / Math.Sqrt(degreesOfFreedom);
        // The chi density is negligible beyond √ν + 12 (its SD is below 1/√2 · √2 = 1 for every ν).
        var upper = Math.Sqrt(degreesOfFreedom) + 12;
        double Integrand(double x) =>
            (Normal.CDF(0, 1, lambda - (scale * x)) + Normal.CDF(0, 1, -lambda - (scale * x))) * Chi.PDF(degreesOfFreedom, x);
        var power = GaussLegendreRule.Integrate(Integrand, 0, upper, 1024);
        return Math.Clamp(power, 0, 1);
    }

    /// <summary>
    /// Power of a test of the mean of <paramref name="replicates"/> independent replicate values (t with
    /// replicates − 1 df) whose variance is <paramref name="replicateVariance"/>, for a true effect <paramref name="effect"/>.
    /// </summary>
    /// <param name="effect">The true mean (same units as the variance's square root).</param>
    /// <param name="replicateVariance">Variance of one replicate value, ≥ 0.</param>
    /// <param name="replicates">Number of replicates, ≥ 2.</param>
    /// <param name="alpha">Two-sided level in (0, 1).</param>
    public static double ForMean(double effect, double replicateVariance, int replicates, double alpha)
    {
        if (replicates < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(replicates), replicates, "A t-test across replicates needs at least two of them.");
        }

        if (!(replicateVariance >= 0) || double.IsInfinity(replicateVariance))
        {
            throw new ArgumentOutOfRangeException(nameof(replicateVariance), replicateVariance, "The variance must be finite and non-negative.");
        }

        var standardError = Math.Sqrt(replicateVariance / replicates);
        if (standardError == 0)
        {
            // No noise: any non-zero effect is certain to be seen, a zero one never is beyond the level.
            return effect == 0 ? alpha : 1;
        }

        return TwoSided(effect / standardError, replicates - 1, alpha);
    }
}
