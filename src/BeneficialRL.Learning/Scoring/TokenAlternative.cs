namespace BeneficialRL.Learning.Scoring;

/// <summary>A candidate token and its log-probability.</summary>
/// <param name="TokenId">The token.</param>
/// <param name="LogProb">Its log-probability (nats).</param>
public readonly record struct TokenAlternative(int TokenId, float LogProb);
