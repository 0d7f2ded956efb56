using System.Diagnostics;
using System.Globalization;
using BeneficialRL.Benchmarks.Definitions;
using BeneficialRL.Benchmarks.Scoring;
using BeneficialRL.Evaluation.Policies;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Tokenization;

namespace BeneficialRL.Bench.Evaluation;

/// <summary>
/// Evaluation cost on one checkpoint: mc-loglik items/s on the <c>tiny</c> preset, and the wall time of the whole
/// built-in suite per format. Without <c>--checkpoint</c> the policy is a freshly initialised tiny model, which
/// never ends its answers early, so generated formats run to the token limit: an upper bound on their cost.
/// </summary>
public sealed class EvaluationBenchmark : IBenchmark
{
    /// <inheritdoc />
    public string Name => "evaluation";

    /// <inheritdoc />
    public string Description => "Benchmark evaluation on one tiny checkpoint: mc-loglik items/s and full built-in suite wall time. Options: --checkpoint FILE (a Checkpoint tar), --format F (only mc-loglik, generate-grade or multi-turn), --max-new-tokens N, --samples K.";

    /// <inheritdoc />
    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var checkpointPath = Option(args, "--checkpoint");
        var maxNewTokens = int.Parse(Option(args, "--max-new-tokens") ?? "160", CultureInfo.InvariantCulture);
        var samples = int.Parse(Option(args, "--samples") ?? "2", CultureInfo.InvariantCulture);
        var onlyFormat = Option(args, "--format");
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

        using (model)
        {
            model.eval();
            var policy = new LearningPolicyModel(model, tokenizer);
            var options = new BenchmarkRunOptions { SamplesPerItem = samples, Generation = new GenerationSettings(MaxNewTokens: maxNewTokens) };
            var runner = new BenchmarkRunner(policy, options);
            output.WriteLine($"# Evaluation on one checkpoint ({(checkpointPath is null ? "fresh tiny model" : checkpointPath)}; {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores)");
            output.WriteLine();
            output.WriteLine("| format | benchmarks | items | wall time | items/s |");
            output.WriteLine("|---|---:|---:|---:|---:|");
            var total = Stopwatch.StartNew();
            foreach (var format in Enum.GetValues<BenchmarkFormat>())
            {
                if (onlyFormat is not null && System.Text.Json.JsonSerializer.Serialize(format).Trim('"') != onlyFormat) continue;
                var benchmarks = suite.Benchmarks.Where(b => b.Definition.Format == format).ToList();
                var items = 0;
                var watch = Stopwatch.StartNew();
                foreach (var benchmark in benchmarks)
                {
                    var result = await runner.RunAsync(benchmark, null, cancellationToken);
                    items += result.Summary.N;
                }

                watch.Stop();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {System.Text.Json.JsonSerializer.Serialize(format).Trim('"')} | {benchmarks.Count} | {items} | {watch.Elapsed.TotalSeconds:F1} s | {items / watch.Elapsed.TotalSeconds:F1} |"));
            }

            if (onlyFormat is null)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| **whole built-in suite** | {suite.Benchmarks.Count} | {suite.Benchmarks.Sum(b => b.Items.Count)} | {total.Elapsed.TotalSeconds:F1} s | |"));
            }

            output.WriteLine();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Generated formats: {samples} samples per item, at most {maxNewTokens} new tokens."));
        }

        return 0;
    }

    private static string? Option(IReadOnlyList<string> args, string name)
    {
        var at = args.ToList().IndexOf(name);
        return at >= 0 && at + 1 < args.Count ? args[at + 1] : null;
    }
}
