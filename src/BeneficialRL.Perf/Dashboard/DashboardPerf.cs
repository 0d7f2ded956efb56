using System.Diagnostics;
using System.Globalization;
using System.Text;
using BeneficialRL.LocalInfrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace BeneficialRL.Perf.Dashboard;

/// <summary>
/// <c>dashboard</c>: first-render time of the research dashboard's experiment and results pages on a paper-scale
/// experiment (54 OOD benchmarks × 3 seeds × 2 arms, 400 RL steps), in headless Debian chromium, median of 5. The
/// page and its modules are the silo host's build output; the API's answers are the real report and metrics types
/// filled at that size (<see cref="DashboardData"/>). Both are served over real HTTP by a small Kestrel server on a
/// loopback port (not Playwright's request routing, whose round trips through its driver would be measured too), so
/// the figure is the browser's work (fetch, parse, DOM, charts) plus loopback HTTP, not a training run.
/// </summary>
public sealed class DashboardPerf : IPerfMeasurement
{

    /// <inheritdoc />
    public string Name => "dashboard";

    /// <inheritdoc />
    public string Description => "Research dashboard: experiment and results pages' first render at paper scale in headless chromium (median of 5), and live-update latency";

    /// <inheritdoc />
    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var repetitions = args.Count > 0 && int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 5;
        var folder = Path.Combine(Path.GetDirectoryName(SiloHostBuild.LocateDll(SiloHostBuild.BuildConfiguration))!, "dashboard");
        var build = Stopwatch.StartNew();
        var data = DashboardData.Build();
        build.Stop();

        var live = new LiveEvents();
        await using var server = await ServeAsync(folder, data, live, cancellationToken);
        var origin = server.Urls.First();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });

        var pages = new (string Name, string Hash, string Ready)[]
        {
            ("experiment", $"#/experiments/{DashboardData.ExperimentId}",
                "() => { const f = document.querySelectorAll('figure.chart'); return f.length > 10 && [...f].every(x => x.querySelector('canvas, svg')) && document.querySelector('#compute-mismatch'); }"),
            ("results", $"#/experiments/{DashboardData.ExperimentId}/results",
                $"() => document.querySelectorAll('svg.forest text.label').length >= {DashboardData.OodBenchmarks} && document.querySelector('table.headline-table')"),
        };
        var rows = new List<string>();
        foreach (var (name, hash, ready) in pages)
        {
            var times = new List<double>();
            for (var i = 0; i <= repetitions; i++)
            {
                var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
                await context.AddInitScriptAsync("sessionStorage.setItem('brl.apiKey', 'brl_bench');");
                var page = await context.NewPageAsync();
                await page.GotoAsync($"{origin}/{hash}");
                await page.WaitForFunctionAsync(ready, null, new PageWaitForFunctionOptions { PollingInterval = 5, Timeout = 60_000 });
                var ms = await page.EvaluateAsync<double>("performance.now()");
                if (i > 0) times.Add(ms); // the first load warms the browser process (module compilation caches); reported apart
                else rows.Add($"| {name} (cold, discarded) | {ms:F0} | | |");
                await context.CloseAsync();
            }

            times.Sort();
            rows.Add(string.Create(CultureInfo.InvariantCulture, $"| {name} | **{times[times.Count / 2]:F0}** | {times[0]:F0}–{times[^1]:F0} | {string.Join(", ", times.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))} |"));
        }

        var latencies = await MeasureLiveUpdatesAsync(browser, origin, live, Math.Max(10, repetitions * 4), cancellationToken);

        var metricsBytes = data.Metrics.Values.Sum(m => Encoding.UTF8.GetByteCount(m));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Data: {DashboardData.OodBenchmarks} OOD benchmarks (+7 held-out traits) × {data.Definition.Seeds.Count} seeds × {data.Definition.Arms.Count} arms, {data.Definition.Budget.Steps} RL steps; report.json {Encoding.UTF8.GetByteCount(data.Report) / 1024.0:F0} KiB, metrics {metricsBytes / 1024.0:F0} KiB over {data.Metrics.Count} runs (built in {build.Elapsed.TotalSeconds:F1} s)."));
        await output.WriteLineAsync($"First render: navigation start → every figure drawn (performance.now() in the page), headless chromium, median of {repetitions}.");
        await output.WriteLineAsync();
        await output.WriteLineAsync("| page | median ms | range ms | runs ms |");
        await output.WriteLineAsync("|---|---:|---:|---|");
        foreach (var row in rows) await output.WriteLineAsync(row);
        latencies.Sort();
        await output.WriteLineAsync();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Live update: {latencies.Count} events written to the experiment page's open event stream while it shows the running experiment; server begins writing the event → its line in the page's live-events list (a MutationObserver's timestamp, same machine clock): median {latencies[latencies.Count / 2]:F1} ms, p95 {latencies[(int)Math.Ceiling(latencies.Count * 0.95) - 1]:F1} ms, max {latencies[^1]:F1} ms. A silo adds, before writing, at most its event poll interval (Api__EventPollInterval, 0.25 s by default) and one grain read."));
        return 0;
    }

    /// <summary>
    /// Opens the experiment page on the running variant of the experiment and, once its event stream is connected,
    /// writes <paramref name="events"/> events 150 ms apart, timing each from the server's write to its line in the page.
    /// </summary>
    private static async Task<List<double>> MeasureLiveUpdatesAsync(IBrowser browser, string origin, LiveEvents live, int events, CancellationToken cancellationToken)
    {
        live.Running = true;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        await context.AddInitScriptAsync("""
            sessionStorage.setItem('brl.apiKey', 'brl_bench');
            window.__seen = {};
            new MutationObserver(records => {
              const now = performance.timeOrigin + performance.now();
              for (const r of records) for (const n of r.addedNodes) {
                const m = /live-tick-(\d+)/.exec(n.textContent || '');
                if (m && !(m[1] in window.__seen)) window.__seen[m[1]] = now;
              }
            }).observe(document, { childList: true, subtree: true });
            """);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{origin}/#/experiments/{DashboardData.ExperimentId}");
        await live.Connected.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        var latencies = new List<double>();
        for (var i = 0; i < events; i++)
        {
            await Task.Delay(150, cancellationToken);
            var sent = await live.SendAsync(i, cancellationToken);
            await page.WaitForFunctionAsync($"() => '{i}' in window.__seen", null, new PageWaitForFunctionOptions { PollingInterval = 5, Timeout = 10_000 });
            latencies.Add(await page.EvaluateAsync<double>($"() => window.__seen['{i}']") - sent);
        }

        await context.CloseAsync();
        live.Running = false;
        return latencies;
    }

    /// <summary>The running experiment's event stream, written by the bench: one open stream at a time.</summary>
    private sealed class LiveEvents
    {
        private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private HttpResponse? _stream;

        public bool Running { get; set; }

        public Task Connected => _connected.Task;

        public string RunningExperiment(string completed)
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(completed)!;
            node["status"] = "running";
            node["finishedAt"] = null;
            return node.ToJsonString();
        }

        public async Task StreamAsync(HttpContext http)
        {
            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            await http.Response.Body.FlushAsync(http.RequestAborted);
            _stream = http.Response;
            _connected.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The page closed its stream.
            }
        }

        /// <summary>Writes event <paramref name="index"/> and returns when the write began (ms since the Unix epoch).</summary>
        public async Task<double> SendAsync(int index, CancellationToken cancellationToken)
        {
            var response = _stream ?? throw new InvalidOperationException("No event stream is open.");
            var data = System.Text.Json.JsonSerializer.Serialize(new
            {
                at = DateTimeOffset.UtcNow,
                kind = "progress",
                stage = "training",
                job = "train.treatment-s1",
                status = "running",
                fraction = 0.5,
                message = $"live-tick-{index}",
            });
            // Timed from before the write, so the figure includes the server's write and flush.
            var sent = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
            await response.WriteAsync($"id: {index + 1}\ndata: {data}\n\n", cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
            return sent;
        }
    }

    /// <summary>The page and assets from the build output, the API's answers from the data, on a free loopback port.</summary>
    private static async Task<WebApplication> ServeAsync(string folder, DashboardData data, LiveEvents live, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePorts.Next().ToString(CultureInfo.InvariantCulture)}");
        var app = builder.Build();
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(folder), RequestPath = "/ui" });
        var api = $"/api/v1/experiments/{DashboardData.ExperimentId}";
        app.MapGet("/", () => Results.File(Path.Combine(folder, "index.html"), "text/html"));
        app.MapGet(api, () => Results.Text(live.Running ? live.RunningExperiment(data.Experiment) : data.Experiment, "application/json"));
        app.MapGet($"{api}/events", live.StreamAsync);
        app.MapGet($"{api}/jobs", () => Results.Text(data.Jobs, "application/json"));
        app.MapGet($"{api}/report", () => Results.Text(data.Report, "application/json"));
        app.MapGet($"{api}/runs/{{run}}/metrics", (string run) =>
            data.Metrics.TryGetValue(run, out var lines) ? Results.Text(lines, "application/x-ndjson") : Results.NotFound());
        await app.StartAsync(cancellationToken);
        return app;
    }
}
