namespace BeneficialRL.Learning.Scoring;

/// <summary>A context and one candidate continuation, as token ids.</summary>
/// <param name="ContextIds">Conditioning tokens (not scored).</param>
/// <param name="CandidateIds">Scored tokens.</param>
public sealed record ScoringRequest(IReadOnlyList<int> ContextIds, IReadOnlyList<int> CandidateIds);
