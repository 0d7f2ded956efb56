using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BeneficialRL.Contracts.Cluster;
using BeneficialRL.LocalInfrastructure;

namespace BeneficialRL.Perf.Api;

/// <summary>
/// API overhead and robustness on loopback, against warm single silos (Azurite in memory, localhost clustering):
/// <list type="number">
/// <item><c>GET /api/v1/experiments/{id}</c> at each connection count, by a built-in HttpClient loop and by wrk, on a silo
/// with the per-tenant rate limiter on (a 1 s window and budgets far above any rate reached, so it admits everything but
/// still runs) and, interleaved, on a second silo with it off; the on/off ratios are the limiter's cost;</item>
/// <item>an unauthenticated flood of distinct unknown <c>brl_…</c> keys: answers/s, 401 versus 429, and the silo's
/// resident set before and after;</item>
/// <item>the silo's resident set after a warm-up of mixed requests and after half and all of the measured ones (see <see cref="MixedLoad"/>).</item>
/// </list>
/// The flood runs last: it uses up the loopback address's failed authentications, after which that address gets 429s
/// even with a valid key. Options: see <see cref="ApiPerfOptions.Parse"/>. The exit code is 1 when any answer other
/// than the expected ones (the flood's 401 and 429) came back.
/// </summary>
public sealed class ApiPerf : IPerfMeasurement
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);

    /// <inheritdoc />
    public string Name => "api";

    /// <inheritdoc />
    public string Description =>
        "GET /api/v1/experiments/{id} at 32 and 256 connections with the rate limiter on and off, a flood of unknown keys, and the silo's working set under mixed requests.";

    /// <inheritdoc />
    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var options = ApiPerfOptions.Parse(args);
        var loadAtStart = ProcessMemory.LoadAverage();
        var startedAt = DateTime.UtcNow;
        var configuration = SiloHostBuild.BuildConfiguration;
        var siloHostDll = SiloHostBuild.LocateDll(configuration);

        await output.WriteLineAsync($"Machine load at start (/proc/loadavg, 1/5/15 min): {loadAtStart}");
        await output.WriteLineAsync($"Starting Azurite (in memory) and {(options.CompareLimiter ? "two silo hosts" : "one silo host")} ({configuration} build)...");
        await using var azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions(), cancellationToken);
        var apiKey = LocalApiKey.Generate();
        // Budgets far above any rate two cores reach, in a short window: the limiter admits everything yet does all its work.
        var limiterOn = SiloSettings("bench-limiter-on", "local", apiKey, azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["RateLimits__Window"] = "00:00:01",
            ["RateLimits__ReadsPerWindow"] = "1000000000",
            ["RateLimits__WritesPerWindow"] = "1000000000",
        });
        // Its own tenant, so the two silos, which share Azurite, never write the same grain state.
        var limiterOff = SiloSettings("bench-limiter-off", "bench-off", apiKey, azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["RateLimits__ReadsPerWindow"] = "0",
            ["RateLimits__WritesPerWindow"] = "0",
        });

        var silos = await StartSilosAsync(options.CompareLimiter ? [limiterOn, limiterOff] : [limiterOn], siloHostDll, output, cancellationToken);
        var on = silos[0];
        var off = silos.Count > 1 ? silos[1] : null;
        var errors = false;
        try
        {
            var onExperiment = await CreateExperimentAsync(on.Settings.BaseAddress, apiKey, cancellationToken);
            var offExperiment = off is null ? null : await CreateExperimentAsync(off.Settings.BaseAddress, apiKey, cancellationToken);
            await output.WriteLineAsync($"Silo with the limiter on: pid {on.ProcessId}, {on.Settings.BaseAddress}" + (off is null ? "" : $"; limiter off: pid {off.ProcessId}, {off.Settings.BaseAddress}"));

            errors |= await MeasureReadsAsync(options, apiKey, onExperiment, offExperiment, output, cancellationToken);
            if (off is not null)
            {
                // The rest measures one silo; the idle one would only hold memory and threads.
                await off.StopAsync(TimeSpan.FromSeconds(10));
            }

            if (options.MixedRequests > 0)
            {
                errors |= await MeasureMixedAsync(options, on, apiKey, onExperiment, output, cancellationToken);
            }

            if (options.FloodDuration > TimeSpan.Zero)
            {
                errors |= await MeasureFloodAsync(options, on, apiKey, onExperiment, output, cancellationToken);
            }

            await output.WriteLineAsync();
            await output.WriteLineAsync($"Machine load (/proc/loadavg, 1/5/15 min): start {loadAtStart}, end {ProcessMemory.LoadAverage()}; {Environment.ProcessorCount} cores shared by client and server; {startedAt:yyyy-MM-dd HH:mm}–{DateTime.UtcNow:HH:mm} UTC.");
            await on.StopAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }

        return errors ? 1 : 0;
    }

    private static SiloLaunchSettings SiloSettings(string name, string tenant, string apiKey, string blobConnectionString, Dictionary<string, string?> limits)
    {
        // Console logging of every request would measure the terminal rather than the API.
        limits["Logging__LogLevel__Default"] = "Warning";
        return SiloLaunchSettings.WithFreePorts(name, [SiloRoles.Api, SiloRoles.Trainer], blobConnectionString) with
        {
            BootstrapAdminKey = apiKey,
            BootstrapTenant = tenant,
            AdditionalEnvironment = limits,
        };
    }

    private static async Task<IReadOnlyList<SiloProcess>> StartSilosAsync(
        IReadOnlyList<SiloLaunchSettings> settings, string siloHostDll, TextWriter output, CancellationToken cancellationToken)
    {
        // Started together: on two cores each start is mostly waiting, and the run should stay within minutes.
        var starting = settings
            .Select(s => SiloProcess.StartAndWaitUntilReadyAsync(s, siloHostDll, onOutputLine: _ => { }, ReadyTimeout, onStarted: null, onRestart: output.WriteLine, cancellationToken))
            .ToArray();
        try
        {
            return await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }

            throw;
        }
    }

    private static async Task<bool> MeasureReadsAsync(
        ApiPerfOptions options, string apiKey, Uri onExperiment, Uri? offExperiment, TextWriter output, CancellationToken cancellationToken)
    {
        var targets = offExperiment is null ? new[] { ("on", onExperiment) } : [("on", onExperiment), ("off", offExperiment)];
        foreach (var (limiter, url) in targets)
        {
            await output.WriteLineAsync($"Warming up the silo with the limiter {limiter} for {options.Warmup.TotalSeconds:0} s...");
            await HttpClientLoad.RunAsync(url, apiKey, options.Connections.Max(), options.Warmup, cancellationToken);
        }

        // Interleaved (on, off, on, off…) so load from other work on the machine falls on both sides of each ratio alike.
        var results = new List<(string Limiter, LoadResult Result)>();
        foreach (var connections in options.Connections)
        {
            foreach (var (limiter, url) in targets)
            {
                await output.WriteLineAsync($"HttpClient, {connections} connections, limiter {limiter}, {options.Duration.TotalSeconds:0} s...");
                results.Add((limiter, await HttpClientLoad.RunAsync(url, apiKey, connections, options.Duration, cancellationToken)));
            }

            if (!options.UseWrk) continue;
            foreach (var (limiter, url) in targets)
            {
                await output.WriteLineAsync($"wrk, {connections} connections, limiter {limiter}, {options.Duration.TotalSeconds:0} s...");
                results.Add((limiter, await WrkLoad.RunAsync(url, apiKey, connections, threads: Math.Min(Environment.ProcessorCount, 4), options.Duration, cancellationToken)));
            }
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync($"GET /api/v1/experiments/{{id}}, loopback, one silo each, {Environment.ProcessorCount} cores shared by client and server. Limiter on: 1 s window, 10^9 reads and writes per window (admits all, still counts):");
        await output.WriteLineAsync();
        await output.WriteLineAsync("| limiter | load generator | connections | duration | requests | errors | requests/s | p50 | p99 |");
        await output.WriteLineAsync("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (limiter, result) in results)
        {
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"| {limiter} | {result.Tool} | {result.Connections} | {result.Duration.TotalSeconds:0.0} s | {result.Requests} | {result.Errors} | {result.RequestsPerSecond:0} | {Milliseconds(result.P50)} | {Milliseconds(result.P99)} |"));
        }

        if (offExperiment is not null)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync("Limiter on / off (requests/s below 1 and latencies above 1 are the limiter's cost, within the noise of a shared machine):");
            await output.WriteLineAsync();
            await output.WriteLineAsync("| load generator | connections | requests/s on/off | p50 on/off | p99 on/off |");
            await output.WriteLineAsync("|---|---:|---:|---:|---:|");
            foreach (var pair in results.Where(r => r.Limiter == "on").Select(r => r.Result))
            {
                var other = results.First(r => r.Limiter == "off" && r.Result.Tool == pair.Tool && r.Result.Connections == pair.Connections).Result;
                await output.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {pair.Tool} | {pair.Connections} | {Ratio(pair.RequestsPerSecond, other.RequestsPerSecond)} | {Ratio(pair.P50.TotalMilliseconds, other.P50.TotalMilliseconds)} | {Ratio(pair.P99.TotalMilliseconds, other.P99.TotalMilliseconds)} |"));
            }
        }

        return results.Any(r => r.Result.Errors > 0 || r.Result.Requests == 0);
    }

    private static async Task<bool> MeasureMixedAsync(
        ApiPerfOptions options, SiloProcess silo, string apiKey, Uri experiment, TextWriter output, CancellationToken cancellationToken)
    {
        var connections = options.Connections.Min();
        var warmup = Math.Max(1_000, options.MixedRequests / 10);
        var half = options.MixedRequests / 2;
        using var mix = new MixedLoad(silo.Settings.BaseAddress, apiKey, connections, options.MixedCreates, [experiment.Segments[^1]]);
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Mixed requests at {connections} connections: {warmup} to warm up, then {options.MixedRequests}...");
        var batches = new List<(string Point, MixedLoadResult Result, long Resident)>();
        var warm = await mix.RunAsync(warmup, cancellationToken);
        batches.Add(("after warm-up", warm, ProcessMemory.ResidentBytes(silo.ProcessId)));
        var first = await mix.RunAsync(half, cancellationToken);
        batches.Add(($"after {half}", first, ProcessMemory.ResidentBytes(silo.ProcessId)));
        var second = await mix.RunAsync(options.MixedRequests - half, cancellationToken);
        batches.Add(($"after {options.MixedRequests}", second, ProcessMemory.ResidentBytes(silo.ProcessId)));

        var baseline = batches[0].Resident;
        await output.WriteLineAsync();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Silo working set (VmRSS of pid {silo.ProcessId}) under mixed requests, {connections} connections; of every 20: 10 reads, 3 lists, 3 404s (64 unknown ids), 3 bad inputs (400), 1 create of a record-only experiment (at most {options.MixedCreates}, {mix.Created} made):"));
        await output.WriteLineAsync();
        await output.WriteLineAsync("| point | batch requests | reads | creates | lists | 404s | bad inputs | unexpected | requests/s | silo VmRSS | since warm-up |");
        await output.WriteLineAsync("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (point, result, resident) in batches)
        {
            var k = result.ByKind;
            var change = (resident - baseline) / (1024.0 * 1024.0);
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"| {point} | {result.Requests} | {k["read"]} | {k["create"]} | {k["list"]} | {k["404"]} | {k["bad input"]} | {result.Unexpected} | {result.RequestsPerSecond:0} | {ProcessMemory.Mebibytes(resident)} | {change:+0.0;-0.0;0.0} MiB |"));
        }

        foreach (var sample in batches.SelectMany(b => b.Result.UnexpectedSamples).Take(5))
        {
            await output.WriteLineAsync($"Unexpected: {sample}");
        }

        return batches.Any(b => b.Result.Unexpected > 0);
    }

    private static async Task<bool> MeasureFloodAsync(
        ApiPerfOptions options, SiloProcess silo, string apiKey, Uri experiment, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Flood of unknown keys, {options.FloodConnections} connections, {options.FloodDuration.TotalSeconds:0} s...");
        var before = ProcessMemory.ResidentBytes(silo.ProcessId);
        var flood = await UnknownKeyFlood.RunAsync(experiment, options.FloodConnections, options.FloodDuration, cancellationToken);
        var after = ProcessMemory.ResidentBytes(silo.ProcessId);

        // What a legitimate client behind the same address meets now (the throttle counts per address, not per key).
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var probe = await http.GetAsync(experiment, cancellationToken);

        await output.WriteLineAsync();
        await output.WriteLineAsync("Unauthenticated flood: GET /api/v1/experiments/{id}, each request a different random brl_… key, from one address (loopback), silo Auth defaults (100 failed authentications per address per minute, negative cache of 10,000):");
        await output.WriteLineAsync();
        await output.WriteLineAsync("| connections | duration | answers | answers/s | 401 | 429 | other | p50 | p99 | silo VmRSS before | after |");
        await output.WriteLineAsync("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"| {flood.Connections} | {flood.Duration.TotalSeconds:0.0} s | {flood.Requests} | {flood.RequestsPerSecond:0} | {flood.Unauthorized} | {flood.TooManyRequests} | {flood.Unexpected} | {Milliseconds(flood.P50)} | {Milliseconds(flood.P99)} | {ProcessMemory.Mebibytes(before)} | {ProcessMemory.Mebibytes(after)} |"));
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Right after the flood, the valid key from the same address got {(int)probe.StatusCode} {probe.StatusCode}.");
        return flood.Unexpected > 0 || flood.Requests == 0;
    }

    private static string Milliseconds(TimeSpan latency) => string.Create(CultureInfo.InvariantCulture, $"{latency.TotalMilliseconds:0.00} ms");

    private static string Ratio(double on, double off) => off > 0 ? string.Create(CultureInfo.InvariantCulture, $"{on / off:0.00}") : "–";

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
