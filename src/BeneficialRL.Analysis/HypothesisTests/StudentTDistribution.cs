using MathNet.Numerics.Distributions;

namespace BeneficialRL.Analysis.HypothesisTests;

/// <summary>Shared tail computation of the t-tests.</summary>
internal static class StudentTDistribution
{
    /// <summary>Builds a result, treating a zero standard error as a degenerate but well-defined case.</summary>
    public static TTestResult Result(double difference, double standardError, double degreesOfFreedom)
    {
        if (standardError == 0)
        {
            // Both samples constant: identical means are no evidence of a difference, distinct ones are certain.
            return difference == 0
                ? new TTestResult(0, 0, 0, degreesOfFreedom, 1)
                : new TTestResult(difference, 0, difference > 0 ? double.PositiveInfinity : double.NegativeInfinity, degreesOfFreedom, 0);
        }

        var t = difference / standardError;
        var p = 2 * StudentT.CDF(0, 1, degreesOfFreedom, -Math.Abs(t));
        return new TTestResult(difference, standardError, t, degreesOfFreedom, Math.Min(1, p));
    }
}
