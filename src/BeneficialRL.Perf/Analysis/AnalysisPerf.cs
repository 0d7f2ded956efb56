using System.Diagnostics;
using System.Globalization;
using BeneficialRL.Analysis;
using BeneficialRL.Analysis.Checkpoints;
using BeneficialRL.Analysis.Correlation;
using BeneficialRL.Analysis.Descriptive;
using BeneficialRL.Analysis.Headline;
using BeneficialRL.Analysis.HeldOut;
using BeneficialRL.Analysis.HypothesisTests;
using BeneficialRL.Analysis.Items;
using BeneficialRL.Analysis.MultipleComparisons;
using BeneficialRL.Analysis.Pca;
using BeneficialRL.Analysis.Durability;
using BeneficialRL.Analysis.Refusals;
using BeneficialRL.Analysis.SeedLevel;
using BeneficialRL.Analysis.Transfer;

namespace BeneficialRL.Perf.Analysis;

/// <summary>
/// The analysis library on an experiment of the paper's size (60 benchmarks × 500 items × 3 seeds per arm,
/// 40 checkpoints, a 5-rung dose ladder): wall time of each analysis, then calibration on simulated
/// experiments with a random effect per training run (y = μ_arm + itemᵢ + run_s + ε, σ_seed 0–3 points per
/// benchmark): family-wise error and FDR under BH, power, and CI coverage of the item-level tests (which cannot see
/// run_s) against the seed-level paired test.
/// Options: <c>--seed N</c> (default 7), <c>--resamples N</c> (bootstrap resamples, default 2000), <c>--null-runs N</c>
/// (simulated experiments per σ_seed and scenario, default 100).
/// </summary>
public sealed class AnalysisPerf : IPerfMeasurement
{
    private const int Benchmarks = 60;
    private const int ItemsPerBenchmark = 500;
    private const int Seeds = 3;
    private static readonly string[] Domains = ["health", "science", "law", "finance", "education", "relationships", "technology", "civics"];

    /// <inheritdoc />
    public string Name => "analysis";

    /// <inheritdoc />
    public string Description => "Wall time of the headline, seed-level, held-out, non-refusal, transfer, correlation, PCA and persistence analyses at paper scale, and calibration with a random run effect per seed (FWER/FDR, power, CI coverage of item-level vs seed-level tests).";

    /// <inheritdoc />
    public Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var seed = Option(args, "--seed", 7);
        var options = new AnalysisOptions { Seed = seed, BootstrapResamples = Option(args, "--resamples", 2000) };
        var nullRuns = Option(args, "--null-runs", 100);
        var random = new Random(seed);
        var rows = new List<(string Analysis, string Size, double Milliseconds, string Result)>();

        var effects = Enumerable.Range(0, Benchmarks).Select(b => b % 3 == 0 ? 0.06 : b % 7 == 0 ? -0.05 : 0.0).ToArray();
        var treatment = Arm(random, effects, refusalRate: 0.08);
        var baseline = Arm(random, new double[Benchmarks], refusalRate: 0.05);
        var size = $"{Benchmarks} bench × {ItemsPerBenchmark} items × {Seeds} seeds × 2 arms";

        var headline = Measure(() => HeadlineAnalysis.Analyze(treatment, baseline, options), out var ms);
        rows.Add(("headline (Welch, bootstrap CI, BH)", size, ms, Inv($"{headline.Improved}/{Benchmarks} improved, {headline.SignificantImprovements} sig. up, {headline.SignificantRegressions} sig. down, mean {headline.MeanGainPoints:+0.00;-0.00} pts")));
        cancellationToken.ThrowIfCancellationRequested();

        var seedLevel = Measure(() => SeedLevelAnalysis.Analyze(treatment, baseline, "mean gain", options), out ms);
        rows.Add(("seed-level paired (t across seed pairs, two-level bootstrap, power)", size, ms, Inv($"endpoint {seedLevel.Endpoint.EstimatePoints:+0.00;-0.00} pts [{seedLevel.Endpoint.SeedLevelInterval!.Lower:0.00}, {seedLevel.Endpoint.SeedLevelInterval.Upper:0.00}], {seedLevel.SignificantImprovements} sig. up, {seedLevel.SignificantRegressions} sig. down, mean power at 5 pts {seedLevel.MeanPower:P0}")));
        cancellationToken.ThrowIfCancellationRequested();

        var heldOutTreatment = treatment.Where(s => string.CompareOrdinal(s.BenchmarkId, "bench-12") < 0).ToList();
        var heldOutBaseline = baseline.Where(s => string.CompareOrdinal(s.BenchmarkId, "bench-12") < 0).ToList();
        var traits = Measure(() => HeldOutTraitAnalysis.Analyze(heldOutTreatment, heldOutBaseline, options), out ms);
        rows.Add(("held-out traits (arm CIs + delta)", $"{traits.Count} traits", ms, Inv($"{traits.Count(t => t.Comparison.SignificantImprovement)} traits sig. up")));

        var nonRefusal = Measure(() => PairedNonRefusalAnalysis.Analyze(treatment, baseline, options), out ms);
        rows.Add(("paired non-refusal re-analysis", size, ms, Inv($"{nonRefusal.Average(r => r.KeptItems):0} kept items/bench, {nonRefusal.Count(r => r.SignificantImprovement)} sig. up")));

        var conditions = new List<KeyValuePair<string, IEnumerable<ItemScore>>>
        {
            new("multi-domain", treatment),
            new("health-only", Arm(random, effects.Select((e, b) => Domains[b % Domains.Length] == "health" ? 0.08 : 0.0).ToArray(), 0.05)),
            new("no-health-no-science", Arm(random, effects.Select((e, b) => Domains[b % Domains.Length] is "health" or "science" ? 0.0 : 0.04).ToArray(), 0.05)),
        };
        var matrix = Measure(() => TransferMatrixBuilder.Build(conditions, baseline, options), out ms);
        rows.Add(("transfer matrix", $"{conditions.Count} conditions × {matrix.EvaluationDomains.Count} domains", ms, Inv($"health-only→health {matrix["health-only", "health"].DeltaPoints!.Estimate:+0.0;-0.0} pts")));
        cancellationToken.ThrowIfCancellationRequested();

        var table = CheckpointTable(random, checkpoints: 40);
        var spearman = Measure(() => SpearmanCorrelation.Matrix(table), out ms);
        rows.Add(("Spearman matrix", "40 checkpoints × 60 benchmarks", ms, Inv($"mean off-diagonal ρ {MeanOffDiagonal(spearman):0.00}")));
        var pca = Measure(() => PrincipalComponentAnalysis.Fit(table), out ms);
        rows.Add(("PCA fit", "40 × 60", ms, Inv($"PC1 explains {pca.ExplainedVarianceRatios[0]:P1}")));
        var permutation = Measure(() => PrincipalComponentAnalysis.PermutationTest(table, 999, seed), out ms);
        rows.Add(("PCA permutation null", "40 × 60, 999 permutations", ms, Inv($"null PC1 mean {permutation.NullMeanFirstRatio:P1}, p = {permutation.PValue:0.000}")));
        cancellationToken.ThrowIfCancellationRequested();

        var treatmentLadder = DoseLadder(random, [0.85, 0.82, 0.72, 0.55, 0.3], items: 1000);
        var baselineLadder = DoseLadder(random, [0.8, 0.65, 0.5, 0.4, 0.3], items: 1000);
        var halfLife = Measure(() => AlignmentHalfLife.Compare(treatmentLadder, baselineLadder, options: options), out ms);
        rows.Add(("alignment half-life, both arms", "5 doses × 1000 items × 2 arms", ms, Inv($"{halfLife.Treatment.HalfLife:0.0} vs {halfLife.Baseline.HalfLife:0.0} steps, difference {halfLife.DifferenceDose:+0.0;-0.0} [{halfLife.Interval.Lower:0.0}, {halfLife.Interval.Upper:0.0}]")));

        var attackedTreatment = treatment.Select(s => s with { Score = s.Score * (random.NextDouble() < 0.1 ? 0 : 1) }).ToList();
        var attackedBaseline = baseline.Select(s => s with { Score = s.Score * (random.NextDouble() < 0.2 ? 0 : 1) }).ToList();
        var delta = Measure(
            () => DegradationAnalysis.DeltaTable(new PersistenceArm(treatment, attackedTreatment), new PersistenceArm(baseline, attackedBaseline), id => Domains[int.Parse(id.AsSpan(6), CultureInfo.InvariantCulture) % Domains.Length], options),
            out ms);
        rows.Add(("persistence Δ table", $"{delta.Count} groups, {size}", ms, Inv($"mean difference {delta.Average(d => d.DifferencePoints.Estimate):+0.0;-0.0} pts")));

        var calibration = new List<CalibrationRow>();
        foreach (var sigmaPoints in new[] { 0.0, 1.0, 2.0, 3.0 })
        {
            calibration.Add(Calibrate(nullRuns, sigmaPoints, planted: false, seed, cancellationToken));
            calibration.Add(Calibrate(nullRuns, sigmaPoints, planted: true, seed, cancellationToken));
        }

        output.WriteLine(Inv($"Analysis library, {Environment.ProcessorCount} cores, {options.BootstrapResamples} bootstrap resamples, seed {seed}, {DateTime.UtcNow:yyyy-MM-dd}:"));
        output.WriteLine();
        output.WriteLine("| analysis | size | wall time | result |");
        output.WriteLine("|---|---|---:|---|");
        foreach (var row in rows)
        {
            output.WriteLine(Inv($"| {row.Analysis} | {row.Size} | {row.Milliseconds:0} ms | {row.Result} |"));
        }

        output.WriteLine();
        output.WriteLine(Inv($"Calibration: {nullRuns} simulated experiments per row, {CalibrationBenchmarks} benchmarks × {CalibrationItems} items × {CalibrationSeeds} seed pairs, Bernoulli items (difficulty shared by arms), run effect per (arm, seed, benchmark) ~ N(0, σ_seed); planted = +5 pts on 30% of benchmarks; BH at q ≤ 0.05, 95% intervals."));
        output.WriteLine();
        output.WriteLine("| σ_seed (pts) | scenario | test | FWER (≥1 false discovery) | FDR | power (planted found) | 95% CI covers truth | wall time |");
        output.WriteLine("|---:|---|---|---:|---:|---:|---:|---:|");
        foreach (var row in calibration)
        {
            foreach (var test in row.Tests)
            {
                output.WriteLine(Inv($"| {row.SigmaPoints:0} | {(row.Planted ? "planted" : "A/A (null)")} | {test.Name} | {test.FamilyWiseError:P1} | {test.FalseDiscoveryRate:P1} | {(row.Planted ? test.Power.ToString("P1", CultureInfo.InvariantCulture) : "–")} | {test.Coverage:P1} | {row.Milliseconds / 1000:0} s |"));
            }
        }

        return Task.FromResult(0);
    }

    private static List<ItemScore> Arm(Random random, double[] effects, double refusalRate)
    {
        var scores = new List<ItemScore>(Benchmarks * ItemsPerBenchmark * Seeds);
        for (var b = 0; b < Benchmarks; b++)
        {
            for (var i = 0; i < ItemsPerBenchmark; i++)
            {
                // Item difficulty shared by arms (fixed per item), seeds add answer noise.
                var difficulty = 0.35 + (0.3 * ((((b * 7919) + (i * 104729)) % 1000) / 1000.0));
                for (var s = 0; s < Seeds; s++)
                {
                    var refused = random.NextDouble() < refusalRate;
                    var score = !refused && random.NextDouble() < difficulty + effects[b] ? 1.0 : 0.0;
                    scores.Add(new ItemScore($"bench-{b:D2}", $"item-{i:D4}", score, refused, Domains[b % Domains.Length], s));
                }
            }
        }

        return scores;
    }

    private static CheckpointScoreTable CheckpointTable(Random random, int checkpoints)
    {
        var rows = new List<IReadOnlyList<double>>();
        for (var c = 0; c < checkpoints; c++)
        {
            var progress = (double)c / checkpoints;
            rows.Add(Enumerable.Range(0, Benchmarks).Select(b => 0.4 + (0.2 * progress * (b % 3 == 0 ? 1 : 0.3)) + (0.03 * (random.NextDouble() - 0.5))).ToArray());
        }

        return new CheckpointScoreTable(
            Enumerable.Range(0, checkpoints).Select(c => $"step-{c * 50}").ToList(),
            Enumerable.Range(0, Benchmarks).Select(b => $"bench-{b:D2}").ToList(),
            rows);
    }

    private static List<DoseLevel> DoseLadder(Random random, double[] curve, int items)
    {
        double[] doses = [0, 10, 25, 50, 100];
        return doses.Select((dose, k) => new DoseLevel(
            dose,
            Enumerable.Range(0, items).Select(i => new ItemScore("harm-refusal", $"item-{i:D4}", random.NextDouble() < curve[k] ? 1.0 : 0.0)).ToList())).ToList();
    }

    private const int CalibrationBenchmarks = 20, CalibrationItems = 500, CalibrationSeeds = 3;

    /// <summary>
    /// Simulated experiments, each with its own item difficulties and run effects: every training run (arm × seed)
    /// shifts every item of a benchmark by the same run_s ~ N(0, σ_seed), the term the item-level tests cannot see.
    /// Three tests per benchmark, each with BH across the benchmarks: Welch on seed-averaged items (the item-level
    /// headline), the paired t across items (item-level, conditional on these runs) and the seed-level paired t.
    /// </summary>
    private static CalibrationRow Calibrate(int runs, double sigmaPoints, bool planted, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(HashCode.Combine(seed, sigmaPoints, planted) & 0x7fffffff);
        var options = new AnalysisOptions { Seed = seed, BootstrapResamples = 100 };
        var sigma = sigmaPoints / 100;
        var effects = Enumerable.Range(0, CalibrationBenchmarks).Select(k => planted && k % 10 < 3 ? 0.05 : 0.0).ToArray();
        var tallies = new[] { new Tally("item-level Welch (headline)"), new Tally("item-level paired t"), new Tally("seed-level paired t") };
        var clock = Stopwatch.StartNew();
        for (var run = 0; run < runs; run++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var t = new List<ItemScore>();
            var b = new List<ItemScore>();
            for (var k = 0; k < CalibrationBenchmarks; k++)
            {
                var difficulty = Enumerable.Range(0, CalibrationItems).Select(_ => 0.3 + (0.4 * random.NextDouble())).ToArray();
                for (var s = 0; s < CalibrationSeeds; s++)
                {
                    var runT = sigma * Gaussian(random);
                    var runB = sigma * Gaussian(random);
                    for (var i = 0; i < CalibrationItems; i++)
                    {
                        t.Add(new ItemScore($"b{k:D2}", $"i{i}", random.NextDouble() < difficulty[i] + effects[k] + runT ? 1 : 0, Replicate: s));
                        b.Add(new ItemScore($"b{k:D2}", $"i{i}", random.NextDouble() < difficulty[i] + runB ? 1 : 0, Replicate: s));
                    }
                }
            }

            var seedLevel = SeedLevelAnalysis.Analyze(t, b, "calibration", options with { Seed = run });
            var ti = ItemAggregation.ByBenchmark(t, "treatment");
            var bi = ItemAggregation.ByBenchmark(b, "baseline");
            var welch = seedLevel.Benchmarks.Select(x => WelchTest.Compare([.. ti[x.Name].Select(i => i.Score)], [.. bi[x.Name].Select(i => i.Score)])).ToList();
            tallies[0].Add(effects, [.. welch.Select(w => w.PValue)], [.. welch.Select(w => SeedLevelAnalysis.Interval(w, 0.95).Scale(100))]);
            tallies[1].Add(effects, [.. seedLevel.Benchmarks.Select(x => x.ItemLevelTest!.PValue)], [.. seedLevel.Benchmarks.Select(x => x.ItemLevelInterval)]);
            tallies[2].Add(effects, [.. seedLevel.Benchmarks.Select(x => x.SeedLevelTest!.PValue)], [.. seedLevel.Benchmarks.Select(x => x.SeedLevelInterval!)]);
        }

        return new CalibrationRow(sigmaPoints, planted, [.. tallies.Select(x => x.Result(runs))], clock.Elapsed.TotalMilliseconds);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private sealed record CalibrationRow(double SigmaPoints, bool Planted, IReadOnlyList<TestCalibration> Tests, double Milliseconds);

    private sealed record TestCalibration(string Name, double FamilyWiseError, double FalseDiscoveryRate, double Power, double Coverage);

    private sealed class Tally(string name)
    {
        private int _experimentsWithFalseDiscovery, _covered, _intervals, _plantedFound, _planted;
        private double _falseDiscoveryProportions;

        public void Add(double[] effects, double[] pValues, ConfidenceInterval[] intervals)
        {
            var rejected = BenjaminiHochberg.Reject(pValues, 0.05);
            var falseDiscoveries = Enumerable.Range(0, effects.Length).Count(k => rejected[k] && effects[k] == 0);
            var discoveries = rejected.Count(r => r);
            _experimentsWithFalseDiscovery += falseDiscoveries > 0 ? 1 : 0;
            _falseDiscoveryProportions += discoveries == 0 ? 0 : (double)falseDiscoveries / discoveries;
            _plantedFound += Enumerable.Range(0, effects.Length).Count(k => rejected[k] && effects[k] != 0);
            _planted += effects.Count(e => e != 0);
            _covered += Enumerable.Range(0, effects.Length).Count(k => intervals[k].Contains(effects[k] * 100));
            _intervals += effects.Length;
        }

        public TestCalibration Result(int runs) => new(
            name,
            (double)_experimentsWithFalseDiscovery / runs,
            _falseDiscoveryProportions / runs,
            _planted == 0 ? double.NaN : (double)_plantedFound / _planted,
            (double)_covered / _intervals);
    }

    private static double MeanOffDiagonal(SpearmanMatrix matrix)
    {
        var values = new List<double>();
        for (var i = 0; i < matrix.Coefficients.Count; i++)
        {
            for (var j = i + 1; j < matrix.Coefficients.Count; j++)
            {
                values.Add(matrix.Coefficients[i][j]);
            }
        }

        return values.Average();
    }

    private static T Measure<T>(Func<T> action, out double milliseconds)
    {
        var clock = Stopwatch.StartNew();
        var result = action();
        milliseconds = clock.Elapsed.TotalMilliseconds;
        return result;
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static int Option(IReadOnlyList<string> args, string name, int fallback)
    {
        for (var i = 0; i < args.Count - 1; i++)
        {
            if (args[i] == name)
            {
                return int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw new ArgumentException($"{name} expects an integer, got '{args[i + 1]}'.");
            }
        }

        return fallback;
    }
}
