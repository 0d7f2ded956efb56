using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BeneficialRL.AppHost.Terminal;
using Spectre.Console;

namespace BeneficialRL.AppHost.Experiments;

/// <summary>
/// The main job: submits an experiment preset to the running stack through its REST API, shows its
/// progress per stage from the server-sent events, then prints the headline table and where the report
/// is (served by the API, and saved under the data folder).
/// </summary>
public sealed class ExperimentMainJob(ResourceConsole console, Uri siloBaseAddress, string apiKey, string dataDirectory)
{
    private static readonly TimeSpan NoTrainerRetry = TimeSpan.FromSeconds(2);

    /// <summary>Runs <paramref name="preset"/> (with the <paramref name="persistence"/> tests, when given) to its end; 0 when it completed, 2 when it failed or was cancelled.</summary>
    public async Task<int> RunAsync(string preset, string? persistence, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = siloBaseAddress, Timeout = TimeSpan.FromSeconds(100) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        var id = await SubmitAsync(http, preset, persistence, cancellationToken);
        var api = new Uri(siloBaseAddress, $"api/v1/experiments/{id}");
        console.Info($"experiment [bold]{id}[/] ({Markup.Escape(preset)}) submitted: {Markup.Escape(api.ToString())}");

        var progress = new ExperimentProgressView(console);
        await progress.FollowAsync(http, id, cancellationToken);

        var experiment = await GetJsonAsync(http, $"api/v1/experiments/{id}", cancellationToken);
        var status = experiment.GetProperty("status").GetString();
        StageTable.Render(console, experiment);
        foreach (var alarm in experiment.GetProperty("alarms").EnumerateArray())
        {
            console.Warn($"alarm ({alarm.GetProperty("kind").GetString()}): {alarm.GetProperty("message").GetString()}");
        }

        if (status != "completed")
        {
            console.Error($"experiment {id} {status}: {(experiment.TryGetProperty("error", out var error) ? error.GetString() : "no reason given")}");
            return 2;
        }

        var report = await GetJsonAsync(http, $"api/v1/experiments/{id}/report", cancellationToken);
        HeadlineTable.Render(console, report);
        await ReportTrainingThroughputAsync(http, id, experiment, cancellationToken);
        var local = await SaveReportAsync(http, id, cancellationToken);
        console.Info($"report: [link]{Markup.Escape(new Uri(siloBaseAddress, $"api/v1/experiments/{id}/reports/report.html").ToString())}[/] (needs the API key)");
        console.Info($"report saved to [bold]{Markup.Escape(local)}[/]");
        return 0;
    }

    private static async Task<string> SubmitAsync(HttpClient http, string preset, string? persistence, CancellationToken cancellationToken)
    {
        // One idempotency key for every retry, so a retried POST never creates a second experiment.
        var idempotencyKey = Guid.NewGuid().ToString("N");
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/experiments") { Content = persistence is null ? JsonContent.Create(new { preset }) : JsonContent.Create(new { preset, persistence }) };
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                // Trainer silos report healthy a moment before the API silo's membership view lists them.
                await Task.Delay(NoTrainerRetry, cancellationToken);
                continue;
            }

            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            if (response.StatusCode != HttpStatusCode.Created)
                throw new InvalidOperationException($"POST /api/v1/experiments answered {(int)response.StatusCode}: {body.GetRawText()}");
            return body.GetProperty("id").GetString()!;
        }
    }

    /// <summary>
    /// Tokens per second inside GRPO steps against the training stage's wall time: what checkpointing, held-out curve
    /// evaluation and orchestration cost on top of the learning engine.
    /// </summary>
    private async Task ReportTrainingThroughputAsync(HttpClient http, string id, JsonElement experiment, CancellationToken cancellationToken)
    {
        var stage = experiment.GetProperty("stages").EnumerateArray().FirstOrDefault(s => s.GetProperty("name").GetString() == "training");
        if (stage.ValueKind != JsonValueKind.Object || stage.GetProperty("seconds").ValueKind != JsonValueKind.Number) return;
        double stepSeconds = 0, jobSeconds = 0;
        long tokens = 0;
        var jobs = await GetJsonAsync(http, $"api/v1/experiments/{id}/jobs", cancellationToken);
        foreach (var job in jobs.EnumerateArray().Where(j => j.GetProperty("kind").GetString() == "trainingRun"))
        {
            jobSeconds += (job.GetProperty("finishedAt").GetDateTimeOffset() - job.GetProperty("startedAt").GetDateTimeOffset()).TotalSeconds;
            var metrics = await http.GetStringAsync(job.GetProperty("metrics").GetString()!.TrimStart('/'), cancellationToken);
            foreach (var line in metrics.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var record = JsonDocument.Parse(line).RootElement;
                stepSeconds += record.GetProperty("wallSeconds").GetDouble();
                tokens += record.GetProperty("tokensGenerated").GetInt64() + record.GetProperty("tokensTrained").GetInt64();
            }
        }

        var stageSeconds = stage.GetProperty("seconds").GetDouble();
        console.Info(string.Create(CultureInfo.InvariantCulture,
            $"training: {tokens:N0} tokens in {stepSeconds:0.0} s of GRPO steps ({tokens / Math.Max(stepSeconds, 1e-9):0} tokens/s inside steps); the run jobs took {jobSeconds:0.0} s, "
            + $"{100 * (1 - (stepSeconds / Math.Max(jobSeconds, 1e-9))):0}% of it outside steps (checkpoints to blob storage, held-out curve evaluation, orchestration); the stage took {stageSeconds:0.0} s."));
    }

    private async Task<string> SaveReportAsync(HttpClient http, string id, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(dataDirectory, "reports", id);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "report.html");
        await File.WriteAllBytesAsync(path, await http.GetByteArrayAsync($"api/v1/experiments/{id}/reports/report.html", cancellationToken), cancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(folder, "report.json"), await http.GetByteArrayAsync($"api/v1/experiments/{id}/report", cancellationToken), cancellationToken);
        return path;
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {body.GetRawText()}");
        return body;
    }

    /// <summary>Reads a number the API may write as a named literal ("NaN").</summary>
    internal static double Number(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble()
        : value.ValueKind == JsonValueKind.String && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : double.NaN;
}
