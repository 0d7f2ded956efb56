namespace BeneficialRL.Analysis.HypothesisTests;

/// <summary>The outcome of a two-sided t-test of "first minus second".</summary>
/// <param name="MeanDifference">Mean of the first sample minus mean of the second (for a paired test, mean of the differences).</param>
/// <param name="StandardError">Standard error of <paramref name="MeanDifference"/>.</param>
/// <param name="T">The t statistic, MeanDifference / StandardError (±∞ when the error is 0 and the difference is not).</param>
/// <param name="DegreesOfFreedom">Degrees of freedom (Welch–Satterthwaite for <see cref="WelchTest"/>, n − 1 for <see cref="PairedTTest"/>).</param>
/// <param name="PValue">Two-sided p-value, 2 · P(T ≥ |t|).</param>
public sealed record TTestResult(double MeanDifference, double StandardError, double T, double DegreesOfFreedom, double PValue);
