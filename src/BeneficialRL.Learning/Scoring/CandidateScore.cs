namespace BeneficialRL.Learning.Scoring;

/// <summary>Log-likelihood of one candidate completion.</summary>
/// <param name="SumLogProb">Sum of the candidate tokens' log-probabilities (nats).</param>
/// <param name="TokenCount">Number of candidate tokens.</param>
public sealed record CandidateScore(double SumLogProb, int TokenCount)
{
    /// <summary>Per-token normalised log-likelihood.</summary>
    public double MeanLogProb => TokenCount == 0 ? 0 : SumLogProb / TokenCount;
}
