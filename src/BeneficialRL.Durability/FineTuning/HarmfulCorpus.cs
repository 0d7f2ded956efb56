using BeneficialRL.Learning.Training.Sft;
using BeneficialRL.Scenarios.Contamination;

namespace BeneficialRL.Durability.FineTuning;

/// <summary>Misaligned advice in one domain, ready for SFT, with the proof that it is kept apart from the benchmarks.</summary>
/// <param name="Domain">The taxonomy domain every example comes from.</param>
/// <param name="Seed">The scenario seed it was generated with.</param>
/// <param name="Examples">Scenario conversations answered with one of their failure references.</param>
/// <param name="ContentHash">SHA-256 (hex) of the examples' canonical text: identical corpora hash the same.</param>
/// <param name="DroppedForOverlap">Candidates left out because they shared a 13-gram with (or nearly duplicated) a benchmark item.</param>
/// <param name="Contamination">The check of the final examples against every benchmark item; clean by construction.</param>
public sealed record HarmfulCorpus(
    string Domain,
    long Seed,
    IReadOnlyList<SftExample> Examples,
    string ContentHash,
    int DroppedForOverlap,
    ContaminationReport Contamination);
