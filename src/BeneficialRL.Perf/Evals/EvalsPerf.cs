using System.Diagnostics;
using System.Globalization;
using BeneficialRL.Evals.BuiltIn;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.HeldOut;
using BeneficialRL.Evals.Importers;
using BeneficialRL.Evals.Scoring;

namespace BeneficialRL.Perf.Evals;

/// <summary>
/// The evaluation layer without a real policy: built-in and held-out suite generation, importer
/// throughput on the real public files in <c>../shared/benchmarks</c>, and the runner's own overhead
/// (scoring arithmetic, grading, refusal classification) over the whole built-in suite with a
/// zero-cost synthetic policy. The tiny-model items/s is measured with the learning engine's adapter.
/// </summary>
public sealed class EvalsPerf : IPerfMeasurement
{
    /// <inheritdoc />
    public string Name => "evals";

    /// <inheritdoc />
    public string Description => "Benchmark suite generation, importer throughput and runner overhead (synthetic policy).";

    /// <inheritdoc />
    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        string F(double v, string format = "N0") => v.ToString(format, CultureInfo.InvariantCulture);
        output.WriteLine($"Evaluation layer, {Environment.ProcessorCount} cores.");
        output.WriteLine();
        output.WriteLine("| measure | value |");
        output.WriteLine("|---|---|");

        var clock = Stopwatch.StartNew();
        var suite = BuiltInSuite.Generate();
        var suiteSeconds = clock.Elapsed.TotalSeconds;
        var suiteItems = suite.Sum(b => b.Items.Count);
        output.WriteLine($"| built-in suite generated | {suite.Count} benchmarks, {F(suiteItems)} items in {F(suiteSeconds, "F2")} s = **{F(suiteItems / suiteSeconds)} items/s** |");

        clock.Restart();
        var heldOut = HeldOutTraitSuite.Generate();
        output.WriteLine($"| held-out trait suite generated | {heldOut.Count} benchmarks, {F(heldOut.Sum(b => b.Items.Count))} items in {F(clock.Elapsed.TotalSeconds, "F2")} s |");
        cancellationToken.ThrowIfCancellationRequested();

        if (FindShared() is { } shared)
        {
            (string File, Func<byte[], Benchmark> Import)[] imports =
            [
                ("anthropic-evals/persona/desire-for-acquiring-power.jsonl", b => AnthropicEvalsImporter.Import(b, "desire-for-acquiring-power.jsonl", Options("a"))),
                ("anthropic-evals/sycophancy/political_typology_quiz_liberal-bio_liberal.jsonl", b => AnthropicEvalsImporter.ImportSycophancy(b, "political_typology_quiz_liberal-bio_liberal.jsonl", Options("s"))),
                ("truthfulqa/TruthfulQA.csv", b => TruthfulQaImporter.ImportCsv(b, "TruthfulQA.csv", Options("t"))),
                ("truthfulqa/data/mc_task.json", b => TruthfulQaImporter.ImportMcTask(b, "mc_task.json", Options("m"), mc2: true)),
                ("bbq/data/Disability_status.jsonl", b => BbqImporter.Import(b, "Disability_status.jsonl", Options("b"))),
            ];
            foreach (var (file, import) in imports)
            {
                var bytes = await File.ReadAllBytesAsync(Path.Combine(shared, file), cancellationToken).ConfigureAwait(false);
                import(bytes); // warm-up
                clock.Restart();
                var benchmark = import(bytes);
                var seconds = clock.Elapsed.TotalSeconds;
                output.WriteLine($"| import {file} | {F(benchmark.Items.Count)} items, {F(bytes.Length / 1e6, "F2")} MB in {F(seconds * 1000, "F1")} ms = {F(benchmark.Items.Count / seconds)} items/s |");
            }
        }
        else
        {
            output.WriteLine("| importers | skipped: ../shared/benchmarks not found |");
        }

        // Runner overhead over the whole built-in suite: a policy that costs nothing, so only scoring, grading and refusal classification are timed.
        var runner = new BenchmarkRunner(new SyntheticPolicy(), new BenchmarkRunOptions { SamplesPerItem = 2 });
        int mcItems = 0, generatedItems = 0;
        double mcSeconds = 0, generatedSeconds = 0;
        foreach (var benchmark in suite)
        {
            clock.Restart();
            await runner.RunAsync(benchmark, null, cancellationToken).ConfigureAwait(false);
            if (benchmark.Definition.Format == BenchmarkFormat.McLogLik)
            {
                mcSeconds += clock.Elapsed.TotalSeconds;
                mcItems += benchmark.Items.Count;
            }
            else
            {
                generatedSeconds += clock.Elapsed.TotalSeconds;
                generatedItems += benchmark.Items.Count;
            }
        }

        output.WriteLine($"| runner overhead, mc-loglik | {F(mcItems)} items in {F(mcSeconds, "F2")} s = {F(mcItems / mcSeconds)} items/s |");
        output.WriteLine($"| runner overhead, generated (k = 2, judge + refusal classifier) | {F(generatedItems)} items in {F(generatedSeconds, "F2")} s = {F(generatedItems / generatedSeconds)} items/s |");
        output.WriteLine($"| whole built-in suite, synthetic policy | {F(mcSeconds + generatedSeconds, "F2")} s |");
        return 0;
    }

    private static ImportOptions Options(string id) => new(id, id, "imported", []);

    private static string? FindShared()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "BeneficialRL.sln")))
                {
                    var shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "benchmarks"));
                    return Directory.Exists(shared) ? shared : null;
                }
            }
        }

        return null;
    }

    /// <summary>Log-probabilities from text length and a fixed reply: no model cost at all.</summary>
    private sealed class SyntheticPolicy : IPolicyModel
    {
        public Task<IReadOnlyList<CandidateLogLikelihood>> ScoreAsync(BenchmarkPrompt context, IReadOnlyList<string> candidates, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<CandidateLogLikelihood>>([.. candidates.Select(c => new CandidateLogLikelihood(-0.1 * c.Length, Math.Max(1, c.Length / 4)))]);

        public Task<IReadOnlyList<IReadOnlyList<string>>> GenerateAsync(IReadOnlyList<BenchmarkPrompt> prompts, int samplesPerPrompt, GenerationSettings settings, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<IReadOnlyList<string>>>([.. prompts.Select(p => (IReadOnlyList<string>)[.. Enumerable.Range(0, samplesPerPrompt).Select(k => k == 0
                ? "I understand the pressure, but I would not do that. Here is a safer plan: check the record first, tell the people responsible, and fix the real problem before anything goes out."
                : "I'm sorry, but I can't help with that request.")])]);
    }
}
