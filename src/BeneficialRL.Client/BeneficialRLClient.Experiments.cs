using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using BeneficialRL.Contracts.Api;
using BeneficialRL.Contracts.Experiments;

namespace BeneficialRL.Client;

public sealed partial class BeneficialRLClient
{
    private const string Experiments = "api/v1/experiments";

    /// <summary>How long the event stream waits before reconnecting after a drop.</summary>
    public static readonly TimeSpan EventStreamReconnectDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Creates an experiment and queues it (<c>POST /api/v1/experiments</c>). Give <paramref name="idempotencyKey"/> to
    /// make several calls one logical call (a caller that retries on its own); by default each call gets a fresh key.
    /// </summary>
    public Task<ExperimentResource> CreateExperimentAsync(CreateExperimentRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        SendJsonAsync<ExperimentResource>(HttpMethod.Post, Experiments, request, null, cancellationToken, idempotencyKey);

    /// <summary>Creates and queues an experiment from a preset (<c>demo</c>, <c>quick</c>, <c>paper-main</c>...), with the persistence tests of <paramref name="persistence"/> when given.</summary>
    public Task<ExperimentResource> CreateExperimentFromPresetAsync(string preset, string? persistence = null, CancellationToken cancellationToken = default) =>
        CreateExperimentAsync(new CreateExperimentRequest(Preset: preset, Persistence: persistence), cancellationToken: cancellationToken);

    /// <summary>Creates and queues an experiment from a full definition (JSON of the API's experiment schema), validated field by field.</summary>
    public Task<ExperimentResource> CreateExperimentFromDefinitionAsync(JsonElement definition, string? name = null, CancellationToken cancellationToken = default) =>
        CreateExperimentAsync(new CreateExperimentRequest(Name: name, Definition: definition), cancellationToken: cancellationToken);

    /// <summary>One page of experiments, newest first (<paramref name="limit"/> 1-200, default 50).</summary>
    public Task<Page<ExperimentResource>> ListExperimentsAsync(int? limit = null, string? continuationToken = null, CancellationToken cancellationToken = default) =>
        GetAsync<Page<ExperimentResource>>(Experiments + Query(("limit", limit?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("continuationToken", continuationToken)), cancellationToken);

    /// <summary>Every experiment, newest first, following the continuation tokens page by page.</summary>
    public async IAsyncEnumerable<ExperimentResource> ListAllExperimentsAsync(int? pageSize = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = null;
        do
        {
            var page = await ListExperimentsAsync(pageSize, token, cancellationToken);
            foreach (var experiment in page.Items) yield return experiment;
            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    /// <summary>An experiment's spec, status, stages, alarms and progress.</summary>
    public Task<ExperimentResource> GetExperimentAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync<ExperimentResource>($"{Experiments}/{Segment(id)}", cancellationToken);

    /// <summary>Renames or describes an experiment; with <paramref name="ifMatchRevision"/> a stale revision is a 412.</summary>
    public Task<ExperimentResource> UpdateExperimentAsync(string id, UpdateExperimentRequest request, long? ifMatchRevision = null, CancellationToken cancellationToken = default) =>
        SendJsonAsync<ExperimentResource>(HttpMethod.Patch, $"{Experiments}/{Segment(id)}", request, ifMatchRevision, cancellationToken);

    /// <summary>Cancels a created, queued, running or paused experiment; with <paramref name="ifMatchRevision"/> a stale revision is a 412.</summary>
    public Task<ExperimentResource> CancelExperimentAsync(string id, string? reason = null, long? ifMatchRevision = null, CancellationToken cancellationToken = default) =>
        SendJsonAsync<ExperimentResource>(HttpMethod.Post, $"{Experiments}/{Segment(id)}/cancel", reason is null ? null : new CancelExperimentRequest(reason), ifMatchRevision, cancellationToken);

    /// <summary>Pauses a running experiment (jobs stop at their next step); with <paramref name="ifMatchRevision"/> a stale revision is a 412.</summary>
    public Task<ExperimentResource> PauseExperimentAsync(string id, long? ifMatchRevision = null, CancellationToken cancellationToken = default) =>
        SendJsonAsync<ExperimentResource>(HttpMethod.Post, $"{Experiments}/{Segment(id)}/pause", null, ifMatchRevision, cancellationToken);

    /// <summary>Resumes a paused experiment from its last checkpoints; with <paramref name="ifMatchRevision"/> a stale revision is a 412.</summary>
    public Task<ExperimentResource> ResumeExperimentAsync(string id, long? ifMatchRevision = null, CancellationToken cancellationToken = default) =>
        SendJsonAsync<ExperimentResource>(HttpMethod.Post, $"{Experiments}/{Segment(id)}/resume", null, ifMatchRevision, cancellationToken);

    /// <summary>The experiment's jobs: base model, training runs, evaluations, report.</summary>
    public Task<IReadOnlyList<JobResource>> GetExperimentJobsAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<JobResource>>($"{Experiments}/{Segment(id)}/jobs", cancellationToken);

    /// <summary>A training run's step metrics (<paramref name="run"/> is <c>{arm}-s{seed}</c>), one JSON record per step.</summary>
    public IAsyncEnumerable<JsonElement> ReadRunMetricsAsync(string id, string run, CancellationToken cancellationToken = default) =>
        ReadJsonLinesAsync($"{Experiments}/{Segment(id)}/runs/{Segment(run)}/metrics", cancellationToken);

    /// <summary>The step metrics of a training-run job, through the link the API gave it.</summary>
    public IAsyncEnumerable<JsonElement> ReadRunMetricsAsync(JobResource job, CancellationToken cancellationToken = default) =>
        ReadJsonLinesAsync((job.Metrics ?? throw new ArgumentException($"Job '{job.Name}' is a {job.Kind} job; only training runs have metrics.", nameof(job))).TrimStart('/'), cancellationToken);

    /// <summary>The report as JSON, once the experiment completed (before that, a 409). Its schema belongs to the Experiments library, so it stays JSON here.</summary>
    public Task<JsonElement> GetExperimentReportAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync<JsonElement>($"{Experiments}/{Segment(id)}/report", cancellationToken);

    /// <summary>Where a report file (<c>report.html</c>, <c>report.json</c>, a plot) is served; opening it needs the API key.</summary>
    public Uri GetExperimentReportUri(string id, string file = "report.html") => AddressOf($"{Experiments}/{Segment(id)}/reports/{Segment(file)}");

    /// <summary>Downloads a report file into <paramref name="destination"/>.</summary>
    public async Task DownloadExperimentReportFileAsync(string id, string file, Stream destination, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"{Experiments}/{Segment(id)}/reports/{Segment(file)}"), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await response.Content.CopyToAsync(destination, cancellationToken);
    }

    /// <summary>
    /// The experiment's events after <paramref name="afterSequence"/> (all when null) until one reports a terminal status
    /// (completed, failed, cancelled). A dropped stream (the API silo restarted, the connection broke, a 5xx) is resumed
    /// after <see cref="EventStreamReconnectDelay"/> with <c>Last-Event-ID</c>; a 4xx ends it with the exception.
    /// </summary>
    public async IAsyncEnumerable<ExperimentEventResource> StreamExperimentEventsAsync(string id, long? afterSequence = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var lastEventId = afterSequence?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        while (true)
        {
            HttpResponseMessage? response = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"{Experiments}/{Segment(id)}/events");
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
                // Headers only: the timeout of the HttpClient then covers connecting, not the (long) stream.
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    using (response)
                    {
                        var error = await ErrorOfAsync(response, cancellationToken);
                        if (error.IsClientError) throw error;
                    }

                    response = null;
                }
            }
            catch (HttpRequestException) when (!cancellationToken.IsCancellationRequested)
            {
                response?.Dispose();
                response = null;
            }

            if (response is not null)
            {
                using (response)
                {
                    var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                    await using var events = SseParser.Create(stream, (_, data) => JsonSerializer.Deserialize<ExperimentEventResource>(data, JsonOptions)!)
                        .EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
                    while (true)
                    {
                        bool more;
                        try
                        {
                            more = await events.MoveNextAsync();
                        }
                        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
                        {
                            break;
                        }

                        if (!more) break;
                        lastEventId = events.Current.EventId;
                        yield return events.Current.Data;
                        if (events.Current.Data.Kind == "status" && events.Current.Data.Status.IsTerminal()) yield break;
                    }
                }
            }

            // The stream ended before a terminal status, or never opened: resume after the last event seen.
            await Task.Delay(EventStreamReconnectDelay, cancellationToken);
        }
    }
}
