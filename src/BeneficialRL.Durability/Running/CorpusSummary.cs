namespace BeneficialRL.Durability.Running;

/// <summary>The harmful corpus of a run, without its text.</summary>
/// <param name="Domain">Its domain.</param>
/// <param name="Seed">Its scenario seed.</param>
/// <param name="Examples">Examples trained on.</param>
/// <param name="ContentHash">Its content hash (every dose checkpoint's lineage names it).</param>
/// <param name="DroppedForOverlap">Candidates dropped for sharing a 13-gram with, or nearly duplicating, a benchmark item.</param>
/// <param name="BenchmarkItemsChecked">Benchmark items the final corpus was checked against.</param>
/// <param name="SharedNGramCandidates">Final examples sharing a 13-gram with a benchmark item (always 0).</param>
public sealed record CorpusSummary(string Domain, long Seed, int Examples, string ContentHash, int DroppedForOverlap, int BenchmarkItemsChecked, int SharedNGramCandidates);
