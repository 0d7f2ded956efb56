namespace BeneficialRL.Scenarios.Contamination;

/// <summary>A candidate item sharing word n-grams with the source set.</summary>
/// <param name="CandidateId">The candidate item.</param>
/// <param name="SourceId">A source item holding the first shared n-gram.</param>
/// <param name="SharedNGrams">How many of the candidate's n-grams occur in the source set.</param>
/// <param name="ShareOfNGrams">That count over the candidate's n-grams.</param>
/// <param name="Example">One shared n-gram, for the report.</param>
public sealed record NGramOverlap(string CandidateId, string SourceId, int SharedNGrams, double ShareOfNGrams, string Example);
