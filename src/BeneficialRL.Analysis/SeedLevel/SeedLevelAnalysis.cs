using BeneficialRL.Analysis.Bootstrap;
using BeneficialRL.Analysis.Descriptive;
using BeneficialRL.Analysis.HypothesisTests;
using BeneficialRL.Analysis.Items;
using BeneficialRL.Analysis.MultipleComparisons;
using MathNet.Numerics.Distributions;

namespace BeneficialRL.Analysis.SeedLevel;

/// <summary>
/// Paired, seed-level comparison of a treatment arm with its compute-matched baseline. The training run is
/// the unit of replication: a score is y = μ_arm + item_i + run_s + ε, and the run shift run_s is shared by
/// every item of a run, so only the spread <i>across seed pairs</i> contains it.
/// </summary>
/// <remarks>
/// <para>
/// Seeds are paired by <see cref="ItemScore.Replicate"/>: replicate s of the treatment and replicate s of the
/// baseline started from the same base with the same seed. Items are paired by id within a seed pair.
/// </para>
/// <list type="number">
/// <item>Per benchmark and seed pair: dₛ = mean over the items both runs scored of (treatment − baseline).</item>
/// <item>Across seed pairs (S ≥ 2): t = mean(dₛ) / (sd(dₛ)/√S) with S − 1 df (<see cref="PairedTTest.OfDifferences"/>),
/// interval mean ± t₍₁₊level₎/₂,S−1 · SE; and a two-level percentile bootstrap (draw S seed pairs with
/// replacement, then the items of each drawn pair with replacement) as a second method. The two-level
/// bootstrap counts item noise twice (it is already inside the spread of dₛ), so it is slightly conservative,
/// and with S ≤ 3 its percentiles take few distinct values: the t interval is the primary one.</item>
/// <item>Always: the item-level paired interval over items of the seed-pair-averaged differences, labelled
/// "conditional on these runs". With S = 1 it is the only interval, and no p-value or significance is given.</item>
/// <item>BH q-values across the benchmarks of the family on the seed-level p-values (secondary), with the power
/// of the seed-level test for <see cref="AnalysisOptions.PowerEffectPoints"/> (see <see cref="TTestPower"/>) at the
/// observed between-seed SD σ̂²_run = max(0, s²(dₛ) − mean(s²ₛ/nₛ)) and item SD σ̂²_d = mean(s²ₛ):
/// Var(dₛ) = σ̂²_run + σ̂²_d / n̄, SE = √(Var/S), λ = effect / SE, ν = S − 1.</item>
/// <item>The family's endpoint: gₛ = mean over benchmarks of dₛ, then the same t across seed pairs (each
/// benchmark counts once, whatever its size).</item>
/// </list>
/// </remarks>
public static class SeedLevelAnalysis
{
    /// <summary>The words printed next to every interval that does not include run-to-run variance.</summary>
    public const string ConditionalLabel = "conditional on these runs";

    /// <summary>Compares the arms on every benchmark present in both and forms the family's endpoint.</summary>
    /// <param name="treatment">Treatment item scores, <see cref="ItemScore.Replicate"/> = seed index (polarity applied).</param>
    /// <param name="baseline">Baseline item scores, same seed indices for the paired runs.</param>
    /// <param name="endpointName">Name of the endpoint (e.g. <c>mean OOD gain</c>).</param>
    /// <param name="options">Levels, resamples, seed and power effect; <see cref="AnalysisOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">A benchmark is in one arm only, a record is invalid or repeated, a benchmark has no seed pair or fewer than two paired items, or no seed pair covers every benchmark.</exception>
    public static SeedLevelReport Analyze(IEnumerable<ItemScore> treatment, IEnumerable<ItemScore> baseline, string endpointName, AnalysisOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpointName);
        options ??= AnalysisOptions.Default;
        options.Validate();
        var t = Index(treatment, "treatment");
        var b = Index(baseline, "baseline");
        var missing = t.Keys.Except(b.Keys).Concat(b.Keys.Except(t.Keys)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"Benchmarks present in only one arm: {string.Join(", ", missing)}.", nameof(baseline));
        }

        if (t.Count == 0)
        {
            throw new ArgumentException("No benchmark items were given.", nameof(treatment));
        }

        var data = t.Keys.Order(StringComparer.Ordinal).Select(id => Pair(id, t[id], b[id])).ToList();
        var family = data.Count;
        // Each benchmark bootstraps from its own name-derived seed, so the parallel run is reproducible.
        var estimates = data.AsParallel().AsOrdered().Select(d => Estimate(d, options, family)).ToList();

        var tested = estimates.Select((e, i) => (e, i)).Where(x => x.e.SeedLevelTest is not null).ToList();
        var q = BenjaminiHochberg.QValues([.. tested.Select(x => x.e.SeedLevelTest!.PValue)]);
        for (var k = 0; k < tested.Count; k++)
        {
            var (e, i) = tested[k];
            var significant = q[k] <= options.FalseDiscoveryRate;
            estimates[i] = e with
            {
                QValue = q[k],
                SignificantImprovement = significant && e.EstimatePoints > 0,
                SignificantRegression = significant && e.EstimatePoints < 0,
            };
        }

        var endpoint = Endpoint(endpointName, data, options);
        var powered = estimates.Where(e => e.Power is not null).ToList();
        return new SeedLevelReport(
            estimates,
            endpoint,
            endpoint.SeedPairs,
            endpoint.ConditionalOnRuns,
            estimates.Count(e => e.SignificantImprovement),
            estimates.Count(e => e.SignificantRegression),
            powered.Count > 0 ? powered.Average(e => e.Power!.Value) : null,
            powered.Count > 0 ? powered.Average(e => e.PowerAdjusted!.Value) : null,
            options.PowerEffectPoints,
            options.FalseDiscoveryRate);
    }

    /// <summary>The t interval mean ± t₍₁₊level₎/₂,df · SE of a t-test result (a point when SE = 0).</summary>
    /// <param name="test">A t-test result.</param>
    /// <param name="level">Coverage in (0, 1).</param>
    public static ConfidenceInterval Interval(TTestResult test, double level)
    {
        ArgumentNullException.ThrowIfNull(test);
        var half = test.StandardError == 0 ? 0 : StudentT.InvCDF(0, 1, test.DegreesOfFreedom, (1 + level) / 2) * test.StandardError;
        return new ConfidenceInterval(test.MeanDifference - half, test.MeanDifference + half, level);
    }

    private static SeedLevelEstimate Estimate(BenchmarkPairs data, AnalysisOptions options, int family)
    {
        var pairs = data.Pairs;
        var s = pairs.Count;
        var f = options.PointsPerUnit;
        var perPair = pairs.Select(p => SampleSummary.Of(p.Differences)).ToList();
        var itemAveraged = ItemAveraged(pairs);
        if (itemAveraged.Length < 2)
        {
            throw new ArgumentException($"'{data.Name}' needs at least two items scored by both arms; it has {itemAveraged.Length}.");
        }

        var itemTest = PairedTTest.OfDifferences(itemAveraged);
        var pooledItemVariance = perPair.Average(p => p.Variance);
        var itemsPerPair = perPair.Average(p => p.Count);
        var label = Label(s);
        var rows = pairs.Select((p, i) => new SeedPairDifference(p.Replicate, p.Differences.Length, perPair[i].Mean * f, perPair[i].StandardDeviation * f)).ToList();
        var estimate = perPair.Average(p => p.Mean);
        if (s < 2)
        {
            return new SeedLevelEstimate(
                data.Name, s, rows, estimate * f, null, null, null, Interval(itemTest, options.ConfidenceLevel).Scale(f), Scaled(itemTest, f),
                null, Math.Sqrt(pooledItemVariance) * f, itemsPerPair, null, null, null, false, false, true, label);
        }

        var seedTest = PairedTTest.OfDifferences([.. perPair.Select(p => p.Mean)]);
        var itemPart = perPair.Average(p => p.Variance / p.Count);
        var seedVariance = SampleSummary.Of([.. perPair.Select(p => p.Mean)]).Variance;
        var between = Math.Max(0, seedVariance - itemPart);
        var replicateVariance = between + (pooledItemVariance / itemsPerPair);
        var effect = options.PowerEffectPoints / f;
        var bootstrap = TwoLevelBootstrap(estimate, [.. pairs.Select(p => new[] { p.Differences })], options, "seed-level/" + data.Name);
        return new SeedLevelEstimate(
            data.Name,
            s,
            rows,
            estimate * f,
            Scaled(seedTest, f),
            Interval(seedTest, options.ConfidenceLevel).Scale(f),
            bootstrap.Scale(f),
            Interval(itemTest, options.ConfidenceLevel).Scale(f),
            Scaled(itemTest, f),
            Math.Sqrt(between) * f,
            Math.Sqrt(pooledItemVariance) * f,
            itemsPerPair,
            TTestPower.ForMean(effect, replicateVariance, s, options.FalseDiscoveryRate),
            TTestPower.ForMean(effect, replicateVariance, s, options.FalseDiscoveryRate / family),
            null,
            false,
            false,
            false,
            label);
    }

    private static SeedLevelEstimate Endpoint(string name, IReadOnlyList<BenchmarkPairs> data, AnalysisOptions options)
    {
        var f = options.PointsPerUnit;
        var replicates = data.Select(d => d.Pairs.Select(p => p.Replicate)).Aggregate((a, c) => a.Intersect(c)).Order().ToList();
        if (replicates.Count == 0)
        {
            throw new ArgumentException($"No seed pair scored every benchmark of '{name}'; the endpoint needs at least one.");
        }

        // strata[seed pair][benchmark] = the item differences of that benchmark in that seed pair.
        var strata = replicates.Select(r => data.Select(d => d.Pairs.Single(p => p.Replicate == r).Differences).ToArray()).ToList();
        var summaries = strata.Select(pair => pair.Select(SampleSummary.Of).ToList()).ToList();
        var perPair = summaries.Select(pair => pair.Average(x => x.Mean)).ToList();
        var benchmarks = data.Count;
        // Item noise in gₛ: Var(mean over benchmarks of item means) = Σ_b s²_b/n_b / B².
        var itemPart = summaries.Average(pair => pair.Sum(x => x.Variance / x.Count) / (benchmarks * benchmarks));
        var rows = replicates.Select((r, i) => new SeedPairDifference(r, summaries[i].Sum(x => x.Count), perPair[i] * f, Math.Sqrt(summaries[i].Average(x => x.Variance)) * f)).ToList();
        var itemsPerPair = summaries.Average(pair => pair.Sum(x => x.Count));
        var pooledItemSd = Math.Sqrt(summaries.Average(pair => pair.Average(x => x.Variance)));

        // Item-level (conditional) interval: the benchmark means of item-averaged differences are independent
        // given the runs, so SE² = Σ SE_b² / B², with Welch–Satterthwaite df.
        var itemTests = data.Select(d => PairedTTest.OfDifferences(ItemAveraged(d.Pairs))).ToList();
        var itemEstimate = itemTests.Average(x => x.MeanDifference);
        var sumSquares = itemTests.Sum(x => x.StandardError * x.StandardError);
        var dfDenominator = itemTests.Sum(x => Math.Pow(x.StandardError, 4) / x.DegreesOfFreedom);
        var df = dfDenominator > 0 ? sumSquares * sumSquares / dfDenominator : itemTests.Sum(x => x.DegreesOfFreedom);
        var itemTest = StudentTDistribution.Result(itemEstimate, Math.Sqrt(sumSquares) / benchmarks, df);
        var estimate = perPair.Average();
        var s = replicates.Count;
        if (s < 2)
        {
            return new SeedLevelEstimate(
                name, s, rows, estimate * f, null, null, null, Interval(itemTest, options.ConfidenceLevel).Scale(f), Scaled(itemTest, f),
                null, pooledItemSd * f, itemsPerPair, null, null, null, false, false, true, Label(s));
        }

        var seedTest = PairedTTest.OfDifferences(perPair);
        var between = Math.Max(0, SampleSummary.Of(perPair).Variance - itemPart);
        var alpha = 1 - options.ConfidenceLevel;
        return new SeedLevelEstimate(
            name,
            s,
            rows,
            estimate * f,
            Scaled(seedTest, f),
            Interval(seedTest, options.ConfidenceLevel).Scale(f),
            TwoLevelBootstrap(estimate, strata, options, "seed-level-endpoint/" + name).Scale(f),
            Interval(itemTest, options.ConfidenceLevel).Scale(f),
            Scaled(itemTest, f),
            Math.Sqrt(between) * f,
            pooledItemSd * f,
            itemsPerPair,
            TTestPower.ForMean(options.PowerEffectPoints / f, between + itemPart, s, alpha),
            null,
            null,
            false,
            false,
            false,
            Label(s));
    }

    /// <summary>
    /// Draws seed pairs with replacement, then within each drawn pair the items of every stratum (benchmark)
    /// with replacement; the replicate is the mean over drawn pairs of the mean over strata of item means.
    /// </summary>
    private static BootstrapInterval TwoLevelBootstrap(double estimate, IReadOnlyList<double[][]> strata, AnalysisOptions options, string name)
    {
        var random = SeededRandom.Create(StableSeed.Derive(options.Seed, name));
        var replicates = new double[options.BootstrapResamples];
        var s = strata.Count;
        for (var r = 0; r < replicates.Length; r++)
        {
            var sum = 0.0;
            for (var k = 0; k < s; k++)
            {
                var pair = strata[random.Next(s)];
                var inner = 0.0;
                foreach (var differences in pair)
                {
                    inner += Resampler.ResampledMean(differences, random);
                }

                sum += inner / pair.Length;
            }

            replicates[r] = sum / s;
        }

        return Resampler.Percentile(estimate, replicates, options.ConfidenceLevel);
    }

    private static double[] ItemAveraged(IReadOnlyList<SeedPair> pairs)
    {
        var sums = new Dictionary<string, (double Sum, int Count)>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            for (var i = 0; i < pair.Items.Length; i++)
            {
                var (sum, count) = sums.GetValueOrDefault(pair.Items[i]);
                sums[pair.Items[i]] = (sum + pair.Differences[i], count + 1);
            }
        }

        return [.. sums.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => x.Value.Sum / x.Value.Count)];
    }

    private static string Label(int seedPairs) => seedPairs < 2
        ? $"{ConditionalLabel} (1 seed pair): describes these two runs, not the method; no p-value"
        : $"seed-level: {seedPairs} seed pairs, t with {seedPairs - 1} df";

    private static TTestResult Scaled(TTestResult test, double factor) =>
        test with { MeanDifference = test.MeanDifference * factor, StandardError = test.StandardError * factor };

    private static BenchmarkPairs Pair(string name, Dictionary<int, Dictionary<string, double>> treatment, Dictionary<int, Dictionary<string, double>> baseline)
    {
        var pairs = new List<SeedPair>();
        foreach (var replicate in treatment.Keys.Intersect(baseline.Keys).Order())
        {
            var t = treatment[replicate];
            var b = baseline[replicate];
            var items = t.Keys.Where(b.ContainsKey).Order(StringComparer.Ordinal).ToArray();
            if (items.Length > 0)
            {
                pairs.Add(new SeedPair(replicate, items, [.. items.Select(i => t[i] - b[i])]));
            }
        }

        if (pairs.Count == 0)
        {
            throw new ArgumentException($"'{name}' has no seed pair: no replicate index scored common items in both arms (treatment replicates {string.Join(", ", treatment.Keys.Order())}, baseline {string.Join(", ", baseline.Keys.Order())}).");
        }

        return new BenchmarkPairs(name, pairs);
    }

    private static Dictionary<string, Dictionary<int, Dictionary<string, double>>> Index(IEnumerable<ItemScore> scores, string arm)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var index = new Dictionary<string, Dictionary<int, Dictionary<string, double>>>(StringComparer.Ordinal);
        var position = 0;
        foreach (var score in scores)
        {
            if (score is null || string.IsNullOrWhiteSpace(score.BenchmarkId) || string.IsNullOrWhiteSpace(score.ItemId) || !double.IsFinite(score.Score))
            {
                throw new ArgumentException($"{arm}: record #{position} is null, has an empty id or a non-finite score.", nameof(scores));
            }

            if (!index.TryGetValue(score.BenchmarkId, out var replicates))
            {
                replicates = [];
                index.Add(score.BenchmarkId, replicates);
            }

            if (!replicates.TryGetValue(score.Replicate, out var items))
            {
                items = new Dictionary<string, double>(StringComparer.Ordinal);
                replicates.Add(score.Replicate, items);
            }

            if (!items.TryAdd(score.ItemId, score.Score))
            {
                throw new ArgumentException($"{arm}: item '{score.BenchmarkId}/{score.ItemId}' appears twice for replicate {score.Replicate}.", nameof(scores));
            }

            position++;
        }

        return index;
    }

    private sealed record SeedPair(int Replicate, string[] Items, double[] Differences);

    private sealed record BenchmarkPairs(string Name, IReadOnlyList<SeedPair> Pairs);
}
