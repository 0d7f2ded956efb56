namespace BeneficialRL.Evals.Scoring;

/// <summary>Log-likelihood of one candidate continuation.</summary>
/// <param name="SumLogProb">Natural-log probability summed over the candidate's tokens (≤ 0).</param>
/// <param name="TokenCount">Number of tokens in the candidate (≥ 1).</param>
public sealed record CandidateLogLikelihood(double SumLogProb, int TokenCount);
