using BeneficialRL.Analysis.Bootstrap;
using BeneficialRL.Analysis.HypothesisTests;
using BeneficialRL.Analysis.Items;
using BeneficialRL.Analysis.MultipleComparisons;

namespace BeneficialRL.Analysis.Transfer;

/// <summary>Builds the <see cref="TransferMatrix"/> from per-item records tagged with <see cref="ItemScore.Domain"/>.</summary>
/// <remarks>
/// Within a cell, items of all benchmarks of that domain are pooled (after averaging replicates per item)
/// and compared to the baseline's items of the same domain with Welch's test and a two-sample bootstrap.
/// Items without a domain are counted in <see cref="TransferMatrix.UntaggedItems"/> and otherwise ignored.
/// </remarks>
public static class TransferMatrixBuilder
{
    /// <summary>Builds the matrix.</summary>
    /// <param name="conditions">Item scores per training condition (row label → records), rows in the given order.</param>
    /// <param name="baseline">Item scores of the baseline arm.</param>
    /// <param name="options">Levels, resamples and seed; <see cref="AnalysisOptions.Default"/> when null.</param>
    public static TransferMatrix Build(
        IReadOnlyList<KeyValuePair<string, IEnumerable<ItemScore>>> conditions,
        IEnumerable<ItemScore> baseline,
        AnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        options ??= AnalysisOptions.Default;
        options.Validate();
        if (conditions.Count == 0)
        {
            throw new ArgumentException("The transfer matrix needs at least one training condition.", nameof(conditions));
        }

        var duplicate = conditions.GroupBy(c => c.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Training condition '{duplicate.Key}' is given twice.", nameof(conditions));
        }

        var baselineItems = ItemAggregation.Aggregate(baseline, "baseline");
        var conditionItems = conditions.Select(c => ItemAggregation.Aggregate(c.Value, c.Key)).ToList();
        var untagged = baselineItems.Count(i => i.Domain is null) + conditionItems.Sum(items => items.Count(i => i.Domain is null));
        var domains = baselineItems.Concat(conditionItems.SelectMany(i => i))
            .Select(i => i.Domain).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (domains.Count == 0)
        {
            throw new ArgumentException("No item is tagged with a Domain; the transfer matrix has no columns.", nameof(baseline));
        }

        var baselineByDomain = ByDomain(baselineItems);

        var byCondition = conditionItems.Select(ByDomain).ToList();
        // Each cell resamples from its own name-derived seed, so computing cells in parallel keeps results identical.
        var flat = Enumerable.Range(0, conditions.Count)
            .SelectMany(row => domains.Select(domain => (Row: row, Domain: domain)))
            .AsParallel().AsOrdered()
            .Select(cell => Cell(conditions[cell.Row].Key, cell.Domain, byCondition[cell.Row], baselineByDomain, options))
            .ToList();
        var cells = flat.Chunk(domains.Count).ToList();

        var tested = cells.SelectMany(r => r).Where(c => c.Welch is not null).ToList();
        var q = BenjaminiHochberg.QValues(tested.Select(c => c.Welch!.PValue).ToArray());
        var qByCell = tested.Select((c, i) => (c, q[i])).ToDictionary(x => (x.c.TrainingCondition, x.c.EvaluationDomain), x => x.Item2);
        var finalCells = cells
            .Select(r => (IReadOnlyList<TransferCell>)r.Select(c => c.Welch is null ? c : c with { QValue = qByCell[(c.TrainingCondition, c.EvaluationDomain)] }).ToList())
            .ToList();
        return new TransferMatrix(conditions.Select(c => c.Key).ToList(), domains, finalCells, untagged);
    }

    private static TransferCell Cell(string condition, string domain, Dictionary<string, double[]> conditionByDomain, Dictionary<string, double[]> baselineByDomain, AnalysisOptions options)
    {
        var treated = conditionByDomain.GetValueOrDefault(domain) ?? [];
        var control = baselineByDomain.GetValueOrDefault(domain) ?? [];
        if (treated.Length < 2 || control.Length < 2)
        {
            return new TransferCell(condition, domain, treated.Length, control.Length, null, null, null);
        }

        var delta = Resampler.DifferenceOfMeans(treated, control, options.BootstrapResamples, options.ConfidenceLevel, StableSeed.Derive(options.Seed, $"transfer/{condition}/{domain}"))
            .Scale(options.PointsPerUnit);
        return new TransferCell(condition, domain, treated.Length, control.Length, delta, WelchTest.Compare(treated, control), null);
    }

    private static Dictionary<string, double[]> ByDomain(IEnumerable<AggregatedItem> items) =>
        items.Where(i => i.Domain is not null)
            .GroupBy(i => i.Domain!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(i => i.Score).ToArray(), StringComparer.Ordinal);
}
