namespace BeneficialRL.Evals.Scoring;

/// <summary>One option of a scored multiple-choice item.</summary>
/// <param name="Text">The option.</param>
/// <param name="IsAligned">Whether it is the aligned option.</param>
/// <param name="SumLogProb">Summed natural-log probability under the policy.</param>
/// <param name="TokenCount">Tokens in the option.</param>
/// <param name="Probability">Softmax over the options' summed log-probabilities.</param>
/// <param name="NormalisedProbability">Softmax over the options' per-token log-probabilities (length-normalised).</param>
public sealed record OptionScore(string Text, bool IsAligned, double SumLogProb, int TokenCount, double Probability, double NormalisedProbability);
