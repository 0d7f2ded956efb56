using System.Diagnostics;
using System.Globalization;
using BeneficialRL.Learning.Chat;
using BeneficialRL.Learning.Devices;
using BeneficialRL.Learning.Generation;
using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Scoring;
using BeneficialRL.Learning.Tokenization;
using BeneficialRL.Learning.Training;
using BeneficialRL.Learning.Training.Sft;
using TorchSharp;
using static TorchSharp.torch;

namespace BeneficialRL.Perf.Learning;

/// <summary>
/// The learning engine's costs: libtorch's fp32 matmul peak (the CPU's practical ceiling), SFT
/// step throughput and model-FLOPs utilisation of the tiny and small presets, generation with a KV
/// cache against full recompute, and log-likelihood scoring throughput with peak memory.
/// </summary>
public sealed class LearningPerf : IPerfMeasurement
{
    /// <inheritdoc />
    public string Name => "learning";

    /// <inheritdoc />
    public string Description => "Learning engine: matmul peak, train-step tokens/s + MFU (tiny, small), KV-cache generation, scoring. Options: --quick, --skip-small, --threads N.";

    /// <inheritdoc />
    public Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var quick = args.Contains("--quick");
        var skipSmall = args.Contains("--skip-small");
        var threadsAt = args.ToList().IndexOf("--threads");
        if (threadsAt >= 0 && threadsAt + 1 < args.Count)
        {
            // Overrides the engine's one-thread-per-core default, e.g. to compare on an oversubscribed machine.
            LearningDevice.Initialize();
            torch.set_num_threads(int.Parse(args[threadsAt + 1], CultureInfo.InvariantCulture));
        }

        return Task.Run(() => Run(output, quick, skipSmall, cancellationToken), cancellationToken);
    }

    private static int Run(TextWriter output, bool quick, bool skipSmall, CancellationToken cancellationToken)
    {
        var device = LearningDevice.Default;
        var rows = new List<(string Metric, string Value, string Note)>();
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
        output.WriteLine($"Device: {device.type}, intra-op threads: {torch.get_num_threads()}, cores: {Environment.ProcessorCount}, 1-min load average at start: {load}");

        var peak = MeasureMatmulPeak(device, quick);
        rows.Add(("fp32 matmul peak (libtorch)", $"{peak:0.0} GFLOP/s", "best of 1024² and 2048² products"));

        var tokenizer = PolicyTokenizer.BuildCompactO200k(SyntheticCorpus(4000, seed: 1));
        output.WriteLine($"Compact o200k vocabulary: {tokenizer.VocabularySize} ids");
        var random = new DeterministicRandom(3);
        var words = SyntheticCorpus(4000, seed: 1).ToArray();

        var tiny = TransformerConfig.Tiny(tokenizer.VocabularySize);
        cancellationToken.ThrowIfCancellationRequested();
        using (var model = new PolicyModel(tiny, device, seed: 5))
        {
            var generator = new TextGenerator(model, tokenizer);
            var prompts = Enumerable.Range(0, 8).Select(i => string.Join(' ', Enumerable.Range(0, 6).Select(_ => words[random.NextInt(words.Length)]))).ToList();
            var options = new SamplingOptions { MaxNewTokens = 128, Seed = 1 };
            var forced = new SamplingOptions { MaxNewTokens = 128, Seed = 1, StopAtEndOfTurn = false };
            generator.Generate(prompts.Take(2).ToList(), options with { MaxNewTokens = 8 });
            var cached = TimeGeneration(generator, prompts, forced);
            var recomputed = TimeGeneration(generator, prompts, forced with { UseKvCache = false });
            rows.Add(("generation tiny, 8 prompts × 128 new, KV cache", $"{cached:0} tokens/s", string.Empty));
            rows.Add(("generation tiny, 8 prompts × 128 new, recompute", $"{recomputed:0} tokens/s", $"KV cache speed-up {cached / recomputed:0.0}×"));

            var scorer = new LogLikelihoodScorer(model, tokenizer, maxBatchSize: 32);
            var contexts = Enumerable.Range(0, 64).Select(_ => string.Join(' ', Enumerable.Range(0, 40).Select(_ => words[random.NextInt(words.Length)]))).ToList();
            var requests = contexts.SelectMany(c => Enumerable.Range(0, 4).Select(_ => new ScoringRequest(
                new ChatTemplate(tokenizer).RenderPlain(c),
                tokenizer.Encode(" " + string.Join(' ', Enumerable.Range(0, 5).Select(_ => words[random.NextInt(words.Length)])))))).ToList();
            scorer.ScoreBatch(requests.Take(8).ToList());
            GC.Collect();
            var before = Process.GetCurrentProcess().WorkingSet64;
            var stopwatch = Stopwatch.StartNew();
            scorer.ScoreBatch(requests);
            stopwatch.Stop();
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            rows.Add(($"scoring tiny, {requests.Count} candidates (≈{requests.Average(r => r.ContextIds.Count + r.CandidateIds.Count):0} tokens each)", $"{requests.Count / stopwatch.Elapsed.TotalSeconds:0} candidates/s",
                $"process peak working set {process.PeakWorkingSet64 / 1048576.0:0} MiB (working set before scoring {before / 1048576.0:0} MiB), managed heap {GC.GetTotalMemory(false) / 1048576.0:0} MiB"));
        }

        foreach (var (label, config, batch, length) in new[] { ("tiny", tiny, 32, 128), ("tiny", tiny, 64, 128) }
            .Concat(skipSmall ? [] : new[] { ("small", TransformerConfig.Small(tokenizer.VocabularySize), 32, 128) }))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (tokensPerSecond, flopsPerSecond, parameters) = MeasureTraining(config, tokenizer, words, random, batch, length, quick ? 2 : 4, device);
            rows.Add(($"train step {label} ({parameters / 1e6:0.0} M params), batch {batch} × {length}", $"{tokensPerSecond:0} tokens/s", $"{flopsPerSecond / 1e9:0.0} GFLOP/s model = {100 * flopsPerSecond / 1e9 / peak:0.0}% MFU"));
        }

        output.WriteLine();
        output.WriteLine("| Metric | Value | Note |");
        output.WriteLine("|---|---|---|");
        foreach (var (metric, value, note) in rows)
        {
            output.WriteLine($"| {metric} | {value} | {note} |");
        }

        return 0;
    }

    private static double MeasureMatmulPeak(Device device, bool quick)
    {
        var best = 0.0;
        foreach (var n in new[] { 1024, 2048 })
        {
            using var scope = NewDisposeScope();
            var a = randn([n, n], device: device);
            var b = randn([n, n], device: device);
            var c = a.matmul(b);
            var repeats = quick ? 3 : 6;
            for (var trial = 0; trial < 3; trial++)
            {
                var stopwatch = Stopwatch.StartNew();
                for (var r = 0; r < repeats; r++)
                {
                    c = a.matmul(b);
                }

                _ = c[0, 0].item<float>();
                best = Math.Max(best, 2.0 * n * n * n * repeats / stopwatch.Elapsed.TotalSeconds / 1e9);
            }
        }

        return best;
    }

    private static (double TokensPerSecond, double FlopsPerSecond, long Parameters) MeasureTraining(
        TransformerConfig config, PolicyTokenizer tokenizer, string[] words, DeterministicRandom random, int batch, int length, int steps, Device device)
    {
        using var model = new PolicyModel(config with { MaxSequenceLength = Math.Max(config.MaxSequenceLength, length + 16) }, device, seed: 1);
        using var trainer = new SftTrainer(model, tokenizer, new SftOptions { BatchSize = batch, MicroBatchSize = batch, LearningRate = 1e-4, WarmupSteps = 1, TotalSteps = 100 });
        SftExample MakeExample()
        {
            // Words are appended until the rendered example reaches the target length exactly.
            var prompt = new List<string>();
            var response = new List<string>();
            while (tokenizer.Encode(string.Join(' ', prompt)).Count < length / 4)
            {
                prompt.Add(words[random.NextInt(words.Length)]);
            }

            var template = new ChatTemplate(tokenizer);
            while (template.RenderPrompt([ChatTurn.User(string.Join(' ', prompt))]).Count + template.RenderResponse(string.Join(' ', response)).Count < length + 1)
            {
                response.Add(words[random.NextInt(words.Length)]);
            }

            return SftExample.FromUser(string.Join(' ', prompt), string.Join(' ', response));
        }

        var examples = Enumerable.Range(0, batch).Select(_ => MakeExample()).ToList();
        trainer.TrainStep(examples);
        long tokens = 0;
        double flops = 0;
        var stopwatch = Stopwatch.StartNew();
        for (var s = 0; s < steps; s++)
        {
            var metrics = trainer.TrainStep(examples);
            tokens += metrics.TokensProcessed;
            flops += metrics.EstimatedFlops;
        }

        var seconds = stopwatch.Elapsed.TotalSeconds;
        return (tokens / seconds, flops / seconds, config.ParameterCount);
    }

    private static double TimeGeneration(TextGenerator generator, IReadOnlyList<string> prompts, SamplingOptions options)
    {
        var stopwatch = Stopwatch.StartNew();
        var results = generator.Generate(prompts, options);
        return results.Sum(r => r.TokenIds.Count) / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>Pseudo-words from syllables: a vocabulary of a few thousand o200k pieces, like a generated corpus.</summary>
    private static IEnumerable<string> SyntheticCorpus(int count, long seed)
    {
        string[] syllables = ["ka", "lo", "mi", "tra", "ven", "sol", "dor", "ith", "ban", "que", "rel", "nor", "pha", "zu", "gel", "ost", "ric", "em", "ul", "war", "sy", "bri", "cant", "mo", "ped", "ste", "yor", "ix", "fla", "den"];
        var random = new DeterministicRandom(seed);
        for (var i = 0; i < count; i++)
        {
            var parts = 1 + random.NextInt(3);
            yield return string.Concat(Enumerable.Range(0, parts).Select(_ => syllables[random.NextInt(syllables.Length)]));
        }
    }
}
