using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BeneficialRL.AppHost.Keys;
using BeneficialRL.AppHost.Silos;
using BeneficialRL.LocalInfrastructure;

namespace BeneficialRL.Bench.Api;

/// <summary>
/// API overhead on loopback: one warm single silo (Azurite in memory, localhost clustering), then
/// <c>GET /api/v1/experiments/{id}</c> at 32 concurrent connections, measured by wrk and by a built-in HttpClient loop.
/// Options: <c>--duration &lt;s&gt;</c> (15), <c>--connections &lt;n&gt;</c> (32), <c>--warmup &lt;s&gt;</c> (5), <c>--no-wrk</c>.
/// </summary>
public sealed class ApiBenchmark : IBenchmark
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);

    /// <inheritdoc />
    public string Name => "api";

    /// <inheritdoc />
    public string Description => "Requests/s and p50/p99 of GET /api/v1/experiments/{id} against a warm single silo (wrk and HttpClient, 32 connections).";

    /// <inheritdoc />
    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var options = ApiBenchmarkOptions.Parse(args);
        var configuration = SiloHostBuild.AppHostConfiguration;
        var siloHostDll = SiloHostBuild.LocateDll(configuration);

        await output.WriteLineAsync($"Starting Azurite (in memory) and one silo host ({configuration} build)...");
        await using var azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions(), cancellationToken);
        var apiKey = LocalApiKey.Generate();
        var settings = SiloLaunchSettings.WithFreePorts("bench-silo", [SiloRoles.Api, SiloRoles.Trainer], azurite.ConnectionString) with
        {
            BootstrapAdminKey = apiKey,
            // Console logging of every request would measure the terminal rather than the API.
            // The per-tenant read budget would turn most of a load test into 429s: it measures the API, not the limiter.
            AdditionalEnvironment = new Dictionary<string, string?> { ["Logging__LogLevel__Default"] = "Warning", ["RateLimits__ReadsPerWindow"] = "0" },
        };
        await using var silo = await SiloProcess.StartAndWaitUntilReadyAsync(
            settings, siloHostDll, onOutputLine: _ => { }, ReadyTimeout, onStarted: null, onRestart: output.WriteLine, cancellationToken);

        var experimentUrl = await CreateExperimentAsync(settings.BaseAddress, apiKey, cancellationToken);
        await output.WriteLineAsync($"Warming up for {options.Warmup.TotalSeconds:0} s against {experimentUrl}...");
        await HttpClientLoad.RunAsync(experimentUrl, apiKey, options.Connections, options.Warmup, cancellationToken);

        var results = new List<LoadResult>();
        await output.WriteLineAsync($"Measuring with HttpClient for {options.Duration.TotalSeconds:0} s...");
        results.Add(await HttpClientLoad.RunAsync(experimentUrl, apiKey, options.Connections, options.Duration, cancellationToken));
        if (options.UseWrk)
        {
            await output.WriteLineAsync($"Measuring with wrk for {options.Duration.TotalSeconds:0} s...");
            results.Add(await WrkLoad.RunAsync(experimentUrl, apiKey, options.Connections, threads: Math.Min(Environment.ProcessorCount, 4), options.Duration, cancellationToken));
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync($"GET /api/v1/experiments/{{id}}, {options.Connections} connections, loopback, one silo, {Environment.ProcessorCount} cores shared by client and server, {DateTime.UtcNow:yyyy-MM-dd}:");
        await output.WriteLineAsync();
        await output.WriteLineAsync("| load generator | connections | duration | requests | errors | requests/s | p50 | p99 |");
        await output.WriteLineAsync("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var result in results)
        {
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"| {result.Tool} | {result.Connections} | {result.Duration.TotalSeconds:0.0} s | {result.Requests} | {result.Errors} | {result.RequestsPerSecond:0} | {Milliseconds(result.P50)} | {Milliseconds(result.P99)} |"));
        }

        await silo.StopAsync(TimeSpan.FromSeconds(10));
        return results.All(r => r.Errors == 0 && r.Requests > 0) ? 0 : 1;
    }

    private static string Milliseconds(TimeSpan latency) => string.Create(CultureInfo.InvariantCulture, $"{latency.TotalMilliseconds:0.00} ms");

    private static async Task<Uri> CreateExperimentAsync(Uri baseAddress, string apiKey, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var created = await http.PostAsJsonAsync("api/v1/experiments", new { name = "load-test" }, cancellationToken);
        var body = await created.Content.ReadAsStringAsync(cancellationToken);
        if (!created.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /api/v1/experiments answered {(int)created.StatusCode}: {body}");
        }

        using var document = JsonDocument.Parse(body);
        var id = document.RootElement.GetProperty("id").GetString()
            ?? throw new InvalidOperationException($"POST /api/v1/experiments returned a null 'id': {body}");
        var url = new Uri(baseAddress, $"api/v1/experiments/{Uri.EscapeDataString(id)}");
        using var check = await http.GetAsync(url, cancellationToken);
        return check.IsSuccessStatusCode
            ? url
            : throw new InvalidOperationException($"GET {url} answered {(int)check.StatusCode} right after creating the experiment.");
    }
}
