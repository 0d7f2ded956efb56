using System.Diagnostics;
using System.Globalization;
using BeneficialRL.Analysis;
using BeneficialRL.Analysis.Checkpoints;
using BeneficialRL.Analysis.Correlation;
using BeneficialRL.Analysis.Headline;
using BeneficialRL.Analysis.HeldOut;
using BeneficialRL.Analysis.Items;
using BeneficialRL.Analysis.Pca;
using BeneficialRL.Analysis.Persistence;
using BeneficialRL.Analysis.Refusals;
using BeneficialRL.Analysis.Transfer;

namespace BeneficialRL.Bench.Analysis;

/// <summary>
/// The analysis library on an experiment of the paper's size (60 benchmarks × 500 items × 3 seeds per arm,
/// 40 checkpoints, a 5-rung dose ladder): wall time of each analysis, then calibration on simulated null
/// experiments (false discoveries under BH, coverage of the delta CI).
/// Options: <c>--seed N</c> (default 7), <c>--resamples N</c> (bootstrap resamples, default 2000), <c>--null-runs N</c> (default 200).
/// </summary>
public sealed class AnalysisBenchmark : IBenchmark
{
    private const int Benchmarks = 60;
    private const int ItemsPerBenchmark = 500;
    private const int Seeds = 3;
    private static readonly string[] Domains = ["health", "science", "law", "finance", "education", "relationships", "technology", "civics"];

    /// <inheritdoc />
    public string Name => "analysis";

    /// <inheritdoc />
    public string Description => "Wall time of the headline, held-out, non-refusal, transfer, correlation, PCA and persistence analyses at paper scale, and null calibration (BH false discoveries, CI coverage).";

    /// <inheritdoc />
    public Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var seed = Option(args, "--seed", 7);
        var options = new AnalysisOptions { Seed = seed, BootstrapResamples = Option(args, "--resamples", 2000) };
        var nullRuns = Option(args, "--null-runs", 200);
        var random = new Random(seed);
        var rows = new List<(string Analysis, string Size, double Milliseconds, string Result)>();

        var effects = Enumerable.Range(0, Benchmarks).Select(b => b % 3 == 0 ? 0.06 : b % 7 == 0 ? -0.05 : 0.0).ToArray();
        var treatment = Arm(random, effects, refusalRate: 0.08);
        var baseline = Arm(random, new double[Benchmarks], refusalRate: 0.05);
        var size = $"{Benchmarks} bench × {ItemsPerBenchmark} items × {Seeds} seeds × 2 arms";

        var headline = Measure(() => HeadlineAnalysis.Analyze(treatment, baseline, options), out var ms);
        rows.Add(("headline (Welch, bootstrap CI, BH)", size, ms, Inv($"{headline.Improved}/{Benchmarks} improved, {headline.SignificantImprovements} sig. up, {headline.SignificantRegressions} sig. down, mean {headline.MeanGainPoints:+0.00;-0.00} pts")));
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

        var (falseDiscoveries, coverage, nullMs) = NullCalibration(nullRuns, options, seed);
        rows.Add(("null calibration", $"{nullRuns} null experiments × 20 bench × 200 items", nullMs, Inv($"{falseDiscoveries:P1} experiments with any BH discovery; 95% CI covers 0 in {coverage:P1}")));

        output.WriteLine(Inv($"Analysis library, {Environment.ProcessorCount} cores, {options.BootstrapResamples} bootstrap resamples, seed {seed}, {DateTime.UtcNow:yyyy-MM-dd}:"));
        output.WriteLine();
        output.WriteLine("| analysis | size | wall time | result |");
        output.WriteLine("|---|---|---:|---|");
        foreach (var row in rows)
        {
            output.WriteLine(Inv($"| {row.Analysis} | {row.Size} | {row.Milliseconds:0} ms | {row.Result} |"));
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

    private static (double FalseDiscoveryShare, double Coverage, double Milliseconds) NullCalibration(int runs, AnalysisOptions options, int seed)
    {
        var random = new Random(seed + 1);
        var withDiscovery = 0;
        int covered = 0, intervals = 0;
        var clock = Stopwatch.StartNew();
        for (var run = 0; run < runs; run++)
        {
            var t = new List<ItemScore>();
            var b = new List<ItemScore>();
            for (var k = 0; k < 20; k++)
            {
                for (var i = 0; i < 200; i++)
                {
                    t.Add(new ItemScore($"b{k}", $"i{i}", random.NextDouble() < 0.5 ? 1 : 0));
                    b.Add(new ItemScore($"b{k}", $"i{i}", random.NextDouble() < 0.5 ? 1 : 0));
                }
            }

            var report = HeadlineAnalysis.Analyze(t, b, options with { Seed = run, BootstrapResamples = 500 });
            withDiscovery += report.SignificantImprovements + report.SignificantRegressions > 0 ? 1 : 0;
            covered += report.Benchmarks.Count(c => c.DeltaPoints.Interval.Contains(0));
            intervals += report.Benchmarks.Count;
        }

        return ((double)withDiscovery / runs, (double)covered / intervals, clock.Elapsed.TotalMilliseconds);
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
