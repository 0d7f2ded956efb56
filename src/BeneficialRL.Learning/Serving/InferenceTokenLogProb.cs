using BeneficialRL.Learning.Scoring;

namespace BeneficialRL.Learning.Serving;

/// <summary>A token with its log-probability given everything before it (null for a sequence's first token) and the top alternatives there.</summary>
/// <param name="TokenId">The token.</param>
/// <param name="LogProb">Its log-probability at temperature 1, or null when nothing precedes it.</param>
/// <param name="Top">The most likely tokens at its position (empty for the first token).</param>
public sealed record InferenceTokenLogProb(int TokenId, float? LogProb, IReadOnlyList<TokenAlternative> Top);
