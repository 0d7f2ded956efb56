namespace BeneficialRL.Learning.Scoring;

/// <summary>Log-probabilities of a sequence's tokens 1..n-1 (index j is token j+1) and the top alternatives at each.</summary>
/// <param name="LogProbs">Log-probability of each token given the tokens before it.</param>
/// <param name="Top">The most likely tokens at each position, most likely first.</param>
public sealed record SequenceLogProbs(IReadOnlyList<float> LogProbs, IReadOnlyList<IReadOnlyList<TokenAlternative>> Top)
{
    /// <summary>The most likely tokens after the sequence, most likely first.</summary>
    public IReadOnlyList<TokenAlternative> Next { get; init; } = [];
}
