using System.Diagnostics;
using System.Globalization;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.Scoring;
using BeneficialRL.Evaluation.Policies;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Tokenization;

namespace BeneficialRL.Perf.Evaluation;

/// <summary>
/// Evaluation cost on one checkpoint: mc-loglik items/s on the <c>tiny</c> preset, and the wall time of the whole
/// built-in suite per format. Without <c>--checkpoint</c> the policy is a freshly initialised tiny model, which
/// never ends its answers early, so generated formats run to the token limit: an upper bound on their cost.
/// </summary>
public sealed class EvaluationPerf : IPerfMeasurement
{
    /// <inheritdoc />
    public string Name => "evaluation";

    /// <inheritdoc />
    public string Description => "Benchmark evaluation on one tiny checkpoint: mc-loglik items/s and full built-in suite wall time. Options: --checkpoint FILE (a Checkpoint tar), --format F (only mc-loglik, generate-grade or multi-turn), --max-new-tokens N, --samples K, --engine shared|plain|both (shared-prefix fast paths, the plain paths, or both in one run), --max-items N (the first N items of each benchmark, for quick profiles).";

    /// <inheritdoc />
    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var checkpointPath = Option(args, "--checkpoint");
        var maxNewTokens = int.Parse(Option(args, "--max-new-tokens") ?? "160", CultureInfo.InvariantCulture);
        var samples = int.Parse(Option(args, "--samples") ?? "2", CultureInfo.InvariantCulture);
        var onlyFormat = Option(args, "--format");
        int? maxItems = Option(args, "--max-items") is { } max ? int.Parse(max, CultureInfo.InvariantCulture) : null;
        var suite = BenchmarkSuites.BuiltIn();

        PolicyModel model;
        PolicyTokenizer tokenizer;
        if (checkpointPath is not null)
        {
            await using var file = File.OpenRead(checkpointPath);
            using var checkpoint = await Checkpoint.LoadAsync(file, cancellationToken);
            (model, tokenizer) = (checkpoint.CreateModel(), checkpoint.Tokenizer);
        }
        else
        {
            tokenizer = PolicyTokenizer.BuildCompactO200k(suite.Benchmarks.SelectMany(b => b.Items).Select(i => System.Text.Json.JsonSerializer.Serialize(i)));
            model = new PolicyModel(TransformerConfig.Tiny(tokenizer.VocabularySize), seed: 1);
        }

        var engines = (Option(args, "--engine") ?? "shared") switch
        {
            "shared" => new[] { true },
            "plain" => [false],
            "both" => [false, true],
            var other => throw new ArgumentException($"--engine must be shared, plain or both, not '{other}'."),
        };
        using (model)
        {
            model.eval();
            output.WriteLine($"# Evaluation on one checkpoint ({(checkpointPath is null ? "fresh tiny model" : checkpointPath)}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {LoadAverage()})");
            output.WriteLine();
            output.WriteLine("| engine | format | benchmarks | items | wall time | items/s | mean score |");
            output.WriteLine("|---|---|---:|---:|---:|---:|---:|");
            // Engines alternate benchmark by benchmark, so a change in the machine's load hits both alike.
            var runners = engines.Select(sharePrefixes => (Engine: sharePrefixes ? "shared" : "plain", Runner: new BenchmarkRunner(
                new LearningPolicyModel(model, tokenizer, sharePrefixes: sharePrefixes),
                new BenchmarkRunOptions { SamplesPerItem = samples, Generation = new GenerationSettings(MaxNewTokens: maxNewTokens), MaxItems = maxItems }))).ToList();
            var totals = new double[runners.Count];
            var totalItems = 0;
            foreach (var format in Enum.GetValues<BenchmarkFormat>())
            {
                var formatName = System.Text.Json.JsonSerializer.Serialize(format).Trim('"');
                if (onlyFormat is not null && formatName != onlyFormat) continue;
                var benchmarks = suite.Benchmarks.Where(b => b.Definition.Format == format).ToList();
                var seconds = new double[runners.Count];
                var scoreSums = new double[runners.Count];
                var items = 0;
                foreach (var benchmark in benchmarks)
                {
                    for (var e = 0; e < runners.Count; e++)
                    {
                        var watch = Stopwatch.StartNew();
                        var result = await runners[e].Runner.RunAsync(benchmark, null, cancellationToken);
                        seconds[e] += watch.Elapsed.TotalSeconds;
                        scoreSums[e] += result.Summary.Mean;
                        items += e == 0 ? result.Summary.N : 0;
                    }
                }

                totalItems += items;
                for (var e = 0; e < runners.Count; e++)
                {
                    totals[e] += seconds[e];
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {runners[e].Engine} | {formatName} | {benchmarks.Count} | {items} | {seconds[e]:F1} s | {items / seconds[e]:F1} | {scoreSums[e] / Math.Max(1, benchmarks.Count):F6} |"));
                }
            }

            if (onlyFormat is null)
            {
                for (var e = 0; e < runners.Count; e++)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {runners[e].Engine} | **whole built-in suite** | {suite.Benchmarks.Count} | {totalItems} | {totals[e]:F1} s | | |"));
                }
            }

            output.WriteLine();
            output.WriteLine($"Load average at the end: {LoadAverage()}.");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Generated formats: {samples} samples per item, at most {maxNewTokens} new tokens. Mean score: mean over the format's benchmarks of their mean item score."));
        }

        return 0;
    }

    // The machine is shared: the 1/5/15-minute load averages say how much the timings are worth.
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string? Option(IReadOnlyList<string> args, string name)
    {
        var at = args.ToList().IndexOf(name);
        return at >= 0 && at + 1 < args.Count ? args[at + 1] : null;
    }
}
