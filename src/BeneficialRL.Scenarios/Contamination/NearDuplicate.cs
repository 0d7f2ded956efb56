namespace BeneficialRL.Scenarios.Contamination;

/// <summary>A candidate item that is a near-duplicate of a source item.</summary>
/// <param name="CandidateId">The candidate item.</param>
/// <param name="SourceId">The most similar source item.</param>
/// <param name="Jaccard">Exact Jaccard similarity of their word shingles.</param>
public sealed record NearDuplicate(string CandidateId, string SourceId, double Jaccard);
