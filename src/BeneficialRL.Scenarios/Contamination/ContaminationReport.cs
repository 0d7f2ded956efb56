using System.Globalization;
using System.Text;

namespace BeneficialRL.Scenarios.Contamination;

/// <summary>What the contamination check found between a source set and a candidate set.</summary>
/// <param name="SourceItems">Items in the source set (e.g. training scenarios).</param>
/// <param name="CandidateItems">Items in the candidate set (e.g. a benchmark).</param>
/// <param name="CandidatesWithOverlap">Candidates sharing at least one n-gram with the source.</param>
/// <param name="NGram">The n-gram length used.</param>
/// <param name="WorstOverlaps">Candidates with the largest share of shared n-grams, worst first.</param>
/// <param name="NearDuplicates">Near-duplicate pairs, most similar first (capped at the worst-offender count).</param>
/// <param name="NearDuplicateCount">All near-duplicate candidates found.</param>
public sealed record ContaminationReport(
    int SourceItems,
    int CandidateItems,
    int CandidatesWithOverlap,
    int NGram,
    IReadOnlyList<NGramOverlap> WorstOverlaps,
    IReadOnlyList<NearDuplicate> NearDuplicates,
    int NearDuplicateCount)
{
    /// <summary>Share of candidates with any shared n-gram.</summary>
    public double OverlapRate => CandidateItems == 0 ? 0 : (double)CandidatesWithOverlap / CandidateItems;

    /// <summary>True when no candidate shares an n-gram or is a near-duplicate.</summary>
    public bool IsClean => CandidatesWithOverlap == 0 && NearDuplicateCount == 0;

    /// <summary>A markdown summary with the worst offenders.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Contamination: {CandidatesWithOverlap}/{CandidateItems} candidates ({OverlapRate:P1}) share a {NGram}-gram with {SourceItems} source items; {NearDuplicateCount} near-duplicates.");
        if (WorstOverlaps.Count > 0)
        {
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"| candidate | source | shared {NGram}-grams | share | example |").AppendLine("|---|---|---|---|---|");
            foreach (var o in WorstOverlaps)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {o.CandidateId} | {o.SourceId} | {o.SharedNGrams} | {o.ShareOfNGrams:P0} | {o.Example} |");
            }
        }

        if (NearDuplicates.Count > 0)
        {
            text.AppendLine().AppendLine("| candidate | near-duplicate of | Jaccard |").AppendLine("|---|---|---|");
            foreach (var d in NearDuplicates)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {d.CandidateId} | {d.SourceId} | {d.Jaccard:F2} |");
            }
        }

        return text.ToString();
    }
}
