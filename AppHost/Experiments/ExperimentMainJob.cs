using System.Globalization;
using System.Net;
using System.Text.Json;
using BeneficialRL.Analysis.Validation;
using BeneficialRL.AppHost.Options;
using BeneficialRL.AppHost.Terminal;
using BeneficialRL.Client;
using BeneficialRL.Contracts.Api;
using BeneficialRL.Contracts.Experiments;
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
        using var http = BeneficialRLClient.Configure(new HttpClient { Timeout = TimeSpan.FromSeconds(100) }, siloBaseAddress, apiKey);
        // One try per call: the submit loop below waits for a trainer at its own pace, and a stream drop is resumed by the client.
        var client = new BeneficialRLClient(http) { MaxAttempts = 1 };
        if (preset == ExperimentChoices.ValidateTestbed) return await ValidateTestbedAsync(client, cancellationToken);
        return await RunOneAsync(client, preset, persistence, cancellationToken) is null ? 2 : 0;
    }

    /// <summary>
    /// The test bed's validation set: each experiment in turn (one at a time, so an experiment finds the base checkpoint an
    /// earlier one trained), its own headline as usual, then one pass table over all of them. 0 when every experiment
    /// completed, whatever the table says; 2 otherwise (the table still shows what was measured).
    /// </summary>
    private async Task<int> ValidateTestbedAsync(BeneficialRLClient client, CancellationToken cancellationToken)
    {
        var experiments = new List<ValidationExperiment>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var set = ExperimentChoices.ValidationSet;
        for (var i = 0; i < set.Count; i++)
        {
            var (preset, role) = set[i];
            console.Info(string.Create(CultureInfo.InvariantCulture, $"validate-testbed: {Markup.Escape(preset)} ({role}), {i + 1} of {set.Count}, {clock.Elapsed.TotalMinutes:0.0} min so far"));
            if (await RunOneAsync(client, preset, null, cancellationToken) is { } report)
                experiments.Add(ValidationReportReader.Read(report, role));
        }

        ValidationTableView.Render(console, TestbedValidation.Evaluate(experiments));
        console.Info(string.Create(CultureInfo.InvariantCulture, $"validate-testbed: {experiments.Count} of {set.Count} experiments completed in {clock.Elapsed.TotalMinutes:0.0} min."));
        return experiments.Count == set.Count ? 0 : 2;
    }

    /// <summary>Runs one preset and prints its stages and headline; the report, or null when the experiment did not complete.</summary>
    private async Task<JsonElement?> RunOneAsync(BeneficialRLClient client, string preset, string? persistence, CancellationToken cancellationToken)
    {
        var id = await SubmitAsync(client, preset, persistence, cancellationToken);
        var api = client.AddressOf($"api/v1/experiments/{id}");
        console.Info($"experiment [bold]{id}[/] ({Markup.Escape(preset)}) submitted: {Markup.Escape(api.ToString())}");
        // What the preset is (for demo: a mechanism demo, not a replication), so the headline is read for what it is.
        if (ExperimentChoices.All.TryGetValue(preset, out var about)) console.Info($"{Markup.Escape(preset)}: {Markup.Escape(about)}");
        console.Info($"watch it live: [link]{Markup.Escape(client.AddressOf($"#/experiments/{id}").ToString())}[/] (the research dashboard)");

        var progress = new ExperimentProgressView(console);
        await progress.FollowAsync(client, id, cancellationToken);

        var experiment = await client.GetExperimentAsync(id, cancellationToken);
        StageTable.Render(console, experiment.Stages);
        foreach (var alarm in experiment.Alarms)
        {
            console.Warn($"alarm ({alarm.Kind}): {alarm.Message}");
        }

        if (experiment.Status != ExperimentStatus.Completed)
        {
            console.Error($"experiment {id} {experiment.Status.ToString().ToLowerInvariant()}: {experiment.Error ?? "no reason given"}");
            return null;
        }

        var report = await client.GetExperimentReportAsync(id, cancellationToken);
        HeadlineTable.Render(console, report);
        await ReportTrainingThroughputAsync(client, id, experiment, cancellationToken);
        var local = await SaveReportAsync(client, id, cancellationToken);
        console.Info($"report: [link]{Markup.Escape(client.GetExperimentReportUri(id).ToString())}[/] (needs the API key)");
        console.Info($"report saved to [bold]{Markup.Escape(local)}[/]");
        return report;
    }

    private static async Task<string> SubmitAsync(BeneficialRLClient client, string preset, string? persistence, CancellationToken cancellationToken)
    {
        // One idempotency key for every retry, so a retried POST never creates a second experiment.
        var idempotencyKey = Guid.NewGuid().ToString("N");
        while (true)
        {
            try
            {
                return (await client.CreateExperimentAsync(new CreateExperimentRequest(Preset: preset, Persistence: persistence), idempotencyKey, cancellationToken)).Id;
            }
            catch (BeneficialRLApiException e) when (e.Status == HttpStatusCode.ServiceUnavailable)
            {
                // Trainer silos report healthy a moment before the API silo's membership view lists them.
                await Task.Delay(NoTrainerRetry, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Tokens per second inside GRPO steps against the training stage's wall time: what checkpointing, held-out curve
    /// evaluation and orchestration cost on top of the learning engine.
    /// </summary>
    private async Task ReportTrainingThroughputAsync(BeneficialRLClient client, string id, ExperimentResource experiment, CancellationToken cancellationToken)
    {
        if (experiment.Stages.FirstOrDefault(s => s.Name == "training") is not { Seconds: { } stageSeconds }) return;
        double stepSeconds = 0, jobSeconds = 0;
        long tokens = 0;
        foreach (var job in (await client.GetExperimentJobsAsync(id, cancellationToken)).Where(j => j.Kind == ExperimentJobKind.TrainingRun))
        {
            jobSeconds += (job.FinishedAt!.Value - job.StartedAt!.Value).TotalSeconds;
            await foreach (var record in client.ReadRunMetricsAsync(job, cancellationToken))
            {
                stepSeconds += record.GetProperty("wallSeconds").GetDouble();
                tokens += record.GetProperty("tokensGenerated").GetInt64() + record.GetProperty("tokensTrained").GetInt64();
            }
        }

        console.Info(string.Create(CultureInfo.InvariantCulture,
            $"training: {tokens:N0} tokens in {stepSeconds:0.0} s of GRPO steps ({tokens / Math.Max(stepSeconds, 1e-9):0} tokens/s inside steps); the run jobs took {jobSeconds:0.0} s, "
            + $"{100 * (1 - (stepSeconds / Math.Max(jobSeconds, 1e-9))):0}% of it outside steps (checkpoints to blob storage, held-out curve evaluation, orchestration); the stage took {stageSeconds:0.0} s."));
    }

    private async Task<string> SaveReportAsync(BeneficialRLClient client, string id, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(dataDirectory, "reports", id);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "report.html");
        foreach (var (file, target) in new[] { ("report.html", path), ("report.json", Path.Combine(folder, "report.json")) })
        {
            await using var stream = File.Create(target);
            await client.DownloadExperimentReportFileAsync(id, file, stream, cancellationToken);
        }

        return path;
    }

    /// <summary>Reads a number the API may write as a named literal ("NaN").</summary>
    internal static double Number(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble()
        : value.ValueKind == JsonValueKind.String && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : double.NaN;
}
