using System.Diagnostics;
using System.Globalization;
using BeneficialRL.Perf.Api;
using BeneficialRL.Learning.Chat;
using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Serving;

namespace BeneficialRL.Perf.Inference;

/// <summary>
/// The engine behind the OpenAI-compatible routes on one checkpoint: log-likelihood requests/s (lm-eval's shape: token
/// prompt, echo, one generated token, top-1 logprobs) and chat tokens/s (32 tokens each, and budgets of 8 to 64 side by
/// side) with time to first streamed text, at 1, 8 and 32
/// concurrent clients, one at a time vs batched in the same run. In process: no HTTP or grain hop (those are the
/// <c>api</c> benchmark's subject).
/// </summary>
public sealed class InferencePerf : IPerfMeasurement
{
    // Token budgets of the mixed-length chat workload, in turn.
    private static readonly int[] MixedBudgets = [8, 64, 16, 32];

    /// <inheritdoc />
    public string Name => "inference";

    /// <inheritdoc />
    public string Description => "OpenAI-compatible inference engine: log-likelihood req/s and chat tok/s (32 tokens; 8–64 mixed) at 1/8/32 clients, batched vs one at a time, time to first token. Options: --seconds N, --clients 1,8,32.";

    /// <inheritdoc />
    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var seconds = double.Parse(Option(args, "--seconds") ?? "5", CultureInfo.InvariantCulture);
        var clientCounts = (Option(args, "--clients") ?? "1,8,32").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        var workload = ServingWorkload.Create();
        var (tokenizer, config, loglikPrompts) = (workload.Tokenizer, workload.Config, workload.LogLikelihoodPrompts);
        var template = new ChatTemplate(tokenizer);
        var chatPrompts = workload.ChatMessages.Select(m => (IReadOnlyList<int>)template.RenderPrompt([ChatTurn.User(m)])).ToList();

        var startLoad = ProcessMemory.LoadAverage();
        var started = DateTime.UtcNow;
        output.WriteLine($"# Inference engine on one checkpoint (fresh tiny model, {config.NumLayers} layers × {config.HiddenSize}, vocabulary {tokenizer.VocabularySize}; {Environment.ProcessorCount} cores; {seconds:0.#} s per cell)");
        output.WriteLine();
        output.WriteLine("| workload | clients | one at a time | batched | batched ÷ one at a time | TTFT p50 one / batched |");
        output.WriteLine("|---|---|---|---|---|---|");
        foreach (var clients in clientCounts)
        {
            var loglik = new Dictionary<bool, Cell>();
            var chat = new Dictionary<bool, Cell>();
            var mixed = new Dictionary<bool, Cell>();
            foreach (var batching in new[] { false, true })
            {
                using var engine = new InferenceEngine(new PolicyModel(config, seed: 1), tokenizer, new InferenceEngineOptions { Batching = batching });
                await engine.RunAsync([new InferenceRequest { PromptIds = chatPrompts[0], MaxNewTokens = 8 }]); // warm-up
                loglik[batching] = await MeasureAsync(clients, seconds, i => new InferenceRequest
                {
                    PromptIds = loglikPrompts[i % loglikPrompts.Count],
                    MaxNewTokens = 1,
                    Temperature = 0,
                    Echo = true,
                    TopLogProbs = 1,
                    Seed = 1234,
                }, engine, cancellationToken);
                chat[batching] = await MeasureAsync(clients, seconds, i => new InferenceRequest
                {
                    // Sampled (unseeded, so batchable): a random model's greedy choice repeats the assistant marker, which has no text to stream.
                    PromptIds = chatPrompts[i % chatPrompts.Count],
                    MaxNewTokens = 32,
                    Temperature = 1,
                    TopP = 0.95,
                }, engine, cancellationToken);

                // Budgets of 8 to 64 tokens side by side: where a batch that runs to its longest member makes short requests wait.
                mixed[batching] = await MeasureAsync(clients, seconds, i => new InferenceRequest
                {
                    PromptIds = chatPrompts[i % chatPrompts.Count],
                    MaxNewTokens = MixedBudgets[i % MixedBudgets.Length],
                    Temperature = 1,
                    TopP = 0.95,
                }, engine, cancellationToken);
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| log-likelihood (req/s) | {clients} | {loglik[false].RequestsPerSecond:0.0} | {loglik[true].RequestsPerSecond:0.0} | **{loglik[true].RequestsPerSecond / loglik[false].RequestsPerSecond:0.00}×** | — |"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| chat, 32 sampled tokens (tok/s) | {clients} | {chat[false].TokensPerSecond:0} | {chat[true].TokensPerSecond:0} | **{chat[true].TokensPerSecond / chat[false].TokensPerSecond:0.00}×** | {chat[false].FirstTextP50Ms:0} ms / {chat[true].FirstTextP50Ms:0} ms |"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| chat, 8–64 sampled tokens (tok/s) | {clients} | {mixed[false].TokensPerSecond:0} | {mixed[true].TokensPerSecond:0} | **{mixed[true].TokensPerSecond / mixed[false].TokensPerSecond:0.00}×** | {mixed[false].FirstTextP50Ms:0} ms / {mixed[true].FirstTextP50Ms:0} ms |"));
        }

        output.WriteLine();
        output.WriteLine($"Machine load (/proc/loadavg, 1/5/15 min): start {startLoad}, end {ProcessMemory.LoadAverage()}; {started:yyyy-MM-dd HH:mm}–{DateTime.UtcNow:HH:mm} UTC.");
        return 0;
    }

    private static async Task<Cell> MeasureAsync(int clients, double seconds, Func<int, InferenceRequest> request, InferenceEngine engine, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);
        var firstText = new List<double>();
        long requests = 0, tokens = 0;
        var next = 0;
        async Task ClientAsync()
        {
            while (stopwatch.Elapsed < deadline && !cancellationToken.IsCancellationRequested)
            {
                var sent = stopwatch.Elapsed.TotalMilliseconds;
                double? first = null;
                var result = await engine.RunAsync([request(Interlocked.Increment(ref next))], (_, _, _) => first ??= stopwatch.Elapsed.TotalMilliseconds - sent, cancellationToken);
                Interlocked.Increment(ref requests);
                Interlocked.Add(ref tokens, result[0].CompletionTokens);
                if (first is { } f)
                {
                    lock (firstText) firstText.Add(f);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(ClientAsync, cancellationToken)));
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        firstText.Sort();
        return new Cell(requests / elapsed, tokens / elapsed, firstText.Count == 0 ? double.NaN : firstText[firstText.Count / 2]);
    }

    private static string? Option(IReadOnlyList<string> args, string name)
    {
        var at = args.ToList().IndexOf(name);
        return at >= 0 && at + 1 < args.Count ? args[at + 1] : null;
    }

    private sealed record Cell(double RequestsPerSecond, double TokensPerSecond, double FirstTextP50Ms);
}
