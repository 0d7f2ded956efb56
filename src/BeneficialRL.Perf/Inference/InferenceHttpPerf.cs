using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BeneficialRL.Contracts.Cluster;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Learning.Model;
using BeneficialRL.LocalInfrastructure;
using BeneficialRL.Perf.Api;

namespace BeneficialRL.Perf.Inference;

/// <summary>
/// The OpenAI-compatible routes end to end on one checkpoint: <c>/v1/completions</c> log-likelihood requests/s (lm-eval's
/// shape) and <c>/v1/chat/completions</c> tokens/s through a silo host's HTTP API (auth, admission, the grain hop to the
/// trainer's engine), at 1, 8 and 32 concurrent clients. Two silo hosts serve the same tiny checkpoint, one with
/// <c>Inference__Batching</c> off (each request alone) and one with it on, measured one after the other in the same run.
/// </summary>
public sealed class InferenceHttpPerf : IPerfMeasurement
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);

    /// <inheritdoc />
    public string Name => "inference-http";

    /// <inheritdoc />
    public string Description => "The /v1 routes through a silo host's HTTP API: log-likelihood req/s and chat tok/s at 1/8/32 clients, batching off vs on. Options: --seconds N, --clients 1,8,32.";

    /// <inheritdoc />
    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var seconds = double.Parse(Option(args, "--seconds") ?? "5", CultureInfo.InvariantCulture);
        var clientCounts = (Option(args, "--clients") ?? "1,8,32").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        var workload = ServingWorkload.Create();
        var (weights, meta) = CheckpointFiles(workload);
        var startLoad = ProcessMemory.LoadAverage();
        var started = DateTime.UtcNow;
        var siloHostDll = SiloHostBuild.LocateDll(SiloHostBuild.BuildConfiguration);

        await using var azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions(), cancellationToken);
        var apiKey = LocalApiKey.Generate();
        var silos = new Dictionary<bool, SiloProcess>();
        try
        {
            foreach (var batching in new[] { false, true })
            {
                // Each its own tenant: the two silos share Azurite but never one grain's state.
                var settings = SiloLaunchSettings.WithFreePorts($"perf-batching-{(batching ? "on" : "off")}", [SiloRoles.Api, SiloRoles.Trainer], azurite.ConnectionString) with
                {
                    BootstrapAdminKey = apiKey,
                    BootstrapTenant = batching ? "batched" : "unbatched",
                    AdditionalEnvironment = new Dictionary<string, string?>
                    {
                        ["Inference__Batching"] = batching ? "true" : "false",
                        ["RateLimits__Window"] = "00:00:01",
                        ["RateLimits__ReadsPerWindow"] = "1000000000",
                        ["RateLimits__WritesPerWindow"] = "1000000000",
                        ["Logging__LogLevel__Default"] = "Warning",
                    },
                };
                silos[batching] = await SiloProcess.StartAndWaitUntilReadyAsync(settings, siloHostDll, onOutputLine: _ => { }, ReadyTimeout, onStarted: null, onRestart: output.WriteLine, cancellationToken);
            }

            var clients = new Dictionary<bool, (HttpClient Http, string Model)>();
            foreach (var (batching, silo) in silos)
            {
                var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = silo.Settings.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
                clients[batching] = (http, await ImportAsync(http, weights, meta, cancellationToken));
                await SendAsync(http, "v1/chat/completions", ChatBody(clients[batching].Model, workload.ChatMessages[0]), cancellationToken); // loads the checkpoint
            }

            output.WriteLine($"# /v1 routes through a silo host (fresh tiny model, {workload.Config.NumLayers} layers × {workload.Config.HiddenSize}, vocabulary {workload.Tokenizer.VocabularySize}; api + trainer in one process; client and server on {Environment.ProcessorCount} cores; {seconds:0.#} s per cell)");
            output.WriteLine();
            output.WriteLine("| workload | clients | batching off | batching on | on ÷ off | errors off / on |");
            output.WriteLine("|---|---|---|---|---|---|");
            foreach (var count in clientCounts)
            {
                var loglik = new Dictionary<bool, Cell>();
                var chat = new Dictionary<bool, Cell>();
                foreach (var batching in new[] { false, true })
                {
                    var (http, model) = clients[batching];
                    loglik[batching] = await MeasureAsync(count, seconds, i => ("v1/completions", LogLikelihoodBody(model, workload.LogLikelihoodPrompts[i % workload.LogLikelihoodPrompts.Count])), http, cancellationToken);
                    chat[batching] = await MeasureAsync(count, seconds, i => ("v1/chat/completions", ChatBody(model, workload.ChatMessages[i % workload.ChatMessages.Count])), http, cancellationToken);
                }

                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| log-likelihood (req/s) | {count} | {loglik[false].RequestsPerSecond:0.0} | {loglik[true].RequestsPerSecond:0.0} | **{loglik[true].RequestsPerSecond / loglik[false].RequestsPerSecond:0.00}×** | {loglik[false].Errors} / {loglik[true].Errors} |"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| chat, 32 sampled tokens (tok/s) | {count} | {chat[false].TokensPerSecond:0} | {chat[true].TokensPerSecond:0} | **{chat[true].TokensPerSecond / chat[false].TokensPerSecond:0.00}×** | {chat[false].Errors} / {chat[true].Errors} |"));
            }

            foreach (var (http, _) in clients.Values) http.Dispose();
            output.WriteLine();
            output.WriteLine($"Machine load (/proc/loadavg, 1/5/15 min): start {startLoad}, end {ProcessMemory.LoadAverage()}; {started:yyyy-MM-dd HH:mm}–{DateTime.UtcNow:HH:mm} UTC.");
            foreach (var silo in silos.Values) await silo.StopAsync(TimeSpan.FromSeconds(10));
            return 0;
        }
        finally
        {
            foreach (var silo in silos.Values) await silo.DisposeAsync();
        }
    }

    /// <summary>The checkpoint's weights and meta.json, as <c>POST /api/v1/checkpoints</c> takes them.</summary>
    private static (byte[] Weights, byte[] Meta) CheckpointFiles(ServingWorkload workload)
    {
        using var model = new PolicyModel(workload.Config, seed: 1);
        using var checkpoint = Checkpoint.Capture(model, workload.Tokenizer);
        using var weights = new MemoryStream();
        using var meta = new MemoryStream();
        checkpoint.WriteWeights(weights);
        checkpoint.WriteMetadata(meta);
        return (weights.ToArray(), meta.ToArray());
    }

    private static async Task<string> ImportAsync(HttpClient http, byte[] weights, byte[] meta, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(weights), "weights", "model.safetensors" },
            { new ByteArrayContent(meta), "meta", "meta.json" },
        };
        using var response = await http.PostAsync("api/v1/checkpoints?name=perf-tiny", form, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return body.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>lm-evaluation-harness's log-likelihood request: token ids, echo, one greedy token, top-1 logprobs.</summary>
    private static object LogLikelihoodBody(string model, IReadOnlyList<int> prompt) =>
        new { model, prompt, echo = true, max_tokens = 1, temperature = 0, logprobs = 1, seed = 1234 };

    /// <summary>32 sampled tokens (unseeded, so batchable), as the engine-level measurement samples them.</summary>
    private static object ChatBody(string model, string message) =>
        new { model, messages = new[] { new { role = "user", content = message } }, max_tokens = 32, temperature = 1, top_p = 0.95 };

    /// <summary>Completion tokens the request produced, or -1 for an answer other than 200.</summary>
    private static async Task<long> SendAsync(HttpClient http, string route, object body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(route, body, cancellationToken);
        if (!response.IsSuccessStatusCode) return -1;
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return json.RootElement.TryGetProperty("usage", out var usage) ? usage.GetProperty("completion_tokens").GetInt64() : 0;
    }

    private static async Task<Cell> MeasureAsync(int clients, double seconds, Func<int, (string Route, object Body)> request, HttpClient http, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);
        long requests = 0, tokens = 0, errors = 0;
        var next = 0;
        async Task ClientAsync()
        {
            while (stopwatch.Elapsed < deadline && !cancellationToken.IsCancellationRequested)
            {
                var (route, body) = request(Interlocked.Increment(ref next));
                var produced = await SendAsync(http, route, body, cancellationToken);
                if (produced < 0)
                {
                    Interlocked.Increment(ref errors);
                    continue;
                }

                Interlocked.Increment(ref requests);
                Interlocked.Add(ref tokens, produced);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(ClientAsync, cancellationToken)));
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        return new Cell(requests / elapsed, tokens / elapsed, errors);
    }

    private static string? Option(IReadOnlyList<string> args, string name)
    {
        var at = args.ToList().IndexOf(name);
        return at >= 0 && at + 1 < args.Count ? args[at + 1] : null;
    }

    private sealed record Cell(double RequestsPerSecond, double TokensPerSecond, long Errors);
}
