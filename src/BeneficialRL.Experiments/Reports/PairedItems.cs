using BeneficialRL.Evals.Scoring;
using BeneficialRL.Experiments.Evaluation;

namespace BeneficialRL.Experiments.Reports;

/// <summary>One arm × seed's result on a paired item.</summary>
/// <param name="Arm">Arm name.</param>
/// <param name="Seed">Training seed.</param>
/// <param name="Result">The item's scored result: score, option probabilities or graded samples with refusal labels.</param>
public sealed record PairedItemRun(string Arm, long Seed, BenchmarkItemResult Result);

/// <summary>One benchmark item scored by both arms: the pairing every experiment has by construction (same items, same seeds).</summary>
/// <param name="ItemId">The benchmark item.</param>
/// <param name="Domain">Its domain.</param>
/// <param name="BaselineMean">Mean item score of the baseline over its seeds.</param>
/// <param name="TreatmentMean">Mean item score of the compared arm over its seeds.</param>
/// <param name="Difference">Compared arm − baseline, in score units (0–1).</param>
/// <param name="Runs">Every arm × seed result on the item, baseline first, seeds ascending.</param>
public sealed record PairedItem(string ItemId, string Domain, double BaselineMean, double TreatmentMean, double Difference, IReadOnlyList<PairedItemRun> Runs);

/// <summary>A benchmark's paired items in summary: how many and the mean difference.</summary>
/// <param name="BenchmarkId">The benchmark.</param>
/// <param name="Family">Its family.</param>
/// <param name="Suite">Its suite (OOD, held-out, capability).</param>
/// <param name="Items">Items scored by both arms.</param>
/// <param name="MeanDifference">Mean of the item differences (compared arm − baseline).</param>
public sealed record PairedBenchmark(string BenchmarkId, string Family, string Suite, int Items, double MeanDifference);

/// <summary>
/// Pairs the final evaluations of a baseline and a compared arm item by item, for the per-item drill-down: which
/// items moved, and what each arm answered on them. Items one arm lacks (an evaluation still missing) are left out.
/// </summary>
public static class PairedItems
{
    /// <summary>The benchmarks both arms were evaluated on, in the order of the baseline's first evaluation.</summary>
    public static IReadOnlyList<PairedBenchmark> Benchmarks(IReadOnlyList<CheckpointEvaluation> evaluations, string baseline, string treatment)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        var ids = evaluations.SelectMany(e => e.Benchmarks).Select(b => b.BenchmarkId).Distinct(StringComparer.Ordinal).ToList();
        var result = new List<PairedBenchmark>();
        foreach (var id in ids)
        {
            var items = Pair(evaluations, baseline, treatment, id);
            if (items.Count == 0) continue;
            var first = evaluations.SelectMany(e => e.Benchmarks).First(b => b.BenchmarkId == id);
            result.Add(new PairedBenchmark(id, first.Family, first.Suite, items.Count, items.Average(i => i.Difference)));
        }

        return result;
    }

    /// <summary>
    /// The items of <paramref name="benchmarkId"/> scored by both arms, largest difference (compared arm − baseline)
    /// first; ties by item id, so pages are stable.
    /// </summary>
    public static IReadOnlyList<PairedItem> Pair(IReadOnlyList<CheckpointEvaluation> evaluations, string baseline, string treatment, string benchmarkId)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        var runs = new Dictionary<string, List<PairedItemRun>>(StringComparer.Ordinal);
        var domains = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var evaluation in evaluations.Where(e => e.Arm == baseline || e.Arm == treatment).OrderBy(e => e.Arm == baseline ? 0 : 1).ThenBy(e => e.Seed))
        {
            foreach (var item in evaluation.Benchmarks.Where(b => b.BenchmarkId == benchmarkId).SelectMany(b => b.Items))
            {
                if (!runs.TryGetValue(item.ItemId, out var list)) runs[item.ItemId] = list = [];
                list.Add(new PairedItemRun(evaluation.Arm, evaluation.Seed, item));
                domains.TryAdd(item.ItemId, item.Domain);
            }
        }

        var paired = new List<PairedItem>();
        foreach (var (id, list) in runs)
        {
            var b = list.Where(r => r.Arm == baseline).Select(r => r.Result.Score).ToList();
            var t = list.Where(r => r.Arm == treatment).Select(r => r.Result.Score).ToList();
            if (b.Count == 0 || t.Count == 0) continue;
            paired.Add(new PairedItem(id, domains[id], b.Average(), t.Average(), t.Average() - b.Average(), list));
        }

        return [.. paired.OrderByDescending(p => p.Difference).ThenBy(p => p.ItemId, StringComparer.Ordinal)];
    }
}
