using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using BeneficialRL.Contracts.Api;
using BeneficialRL.Contracts.Catalog;
using BeneficialRL.Contracts.Checkpoints;
using BeneficialRL.Contracts.Experiments;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.ScenarioSets;
using BeneficialRL.Experiments.Reports;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.SiloHost.Auth;
using BeneficialRL.SiloHost.Http;
using BeneficialRL.SiloHost.Limits;
using BeneficialRL.Primitives.Layout;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace BeneficialRL.SiloHost.Apis;

/// <summary>Experiments: create (a preset or a full definition, run on the trainer silos), list, get, update, cancel, pause, resume, jobs, run metrics, the report, and progress as server-sent events.</summary>
public static class ExperimentsApi
{
    /// <summary>Maps the routes under <c>/api/v1/experiments</c>.</summary>
    public static IEndpointRouteBuilder MapExperimentsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/experiments").WithTags("Experiments");
        api.MapPost("/", CreateAsync).WithName("CreateExperiment").WithSummary("Create an experiment and queue it").RequireAuthorization("write");
        api.MapGet("/", ListAsync).WithName("ListExperiments").WithSummary("List experiments, newest first").RequireAuthorization("read");
        api.MapGet("/{id}", GetAsync).WithName("GetExperiment").WithSummary("Get an experiment's spec, status and progress").RequireAuthorization("read");
        api.MapPatch("/{id}", UpdateAsync).WithName("UpdateExperiment").WithSummary("Rename or describe an experiment (If-Match)").RequireAuthorization("write");
        api.MapPost("/{id}/cancel", CancelAsync).WithName("CancelExperiment").WithSummary("Cancel a created, queued, running or paused experiment").RequireAuthorization("write");
        api.MapPost("/{id}/pause", PauseAsync).WithName("PauseExperiment").WithSummary("Pause a running experiment: jobs stop at their next step (If-Match)").RequireAuthorization("write");
        api.MapPost("/{id}/resume", ResumeAsync).WithName("ResumeExperiment").WithSummary("Resume a paused experiment from its last checkpoints (If-Match)").RequireAuthorization("write");
        api.MapGet("/{id}/jobs", JobsAsync).WithName("ListExperimentJobs").WithSummary("The experiment's jobs: base model, training runs, evaluations, report").RequireAuthorization("read");
        api.MapGet("/{id}/runs/{run}/metrics", MetricsAsync).WithName("GetRunMetrics").WithSummary("A training run's step metrics as JSON lines (grows at every checkpoint)").RequireAuthorization("read");
        api.MapGet("/{id}/report", ReportAsync).WithName("GetExperimentReport").WithSummary("The report as JSON, once the experiment completed").RequireAuthorization("read");
        api.MapGet("/{id}/reports/{file}", ReportFileAsync).WithName("GetExperimentReportFile").WithSummary("A report file: report.html, report.json or a plot").RequireAuthorization("read");
        api.MapGet("/{id}/events", StreamEventsAsync).WithName("StreamExperimentEvents")
            .WithSummary("Server-sent events of status and progress; resumes after Last-Event-ID; ends after a terminal status").RequireAuthorization("read")
            .RequireRateLimiting(RequestLimits.EventStreamsPolicy);
        return routes;
    }

    /// <summary>
    /// The server's reading of <see cref="CreateExperimentRequest"/> (the client's record, where the definition is JSON):
    /// the same members with the definition typed, so a wrong member is refused with its path and the OpenAPI document
    /// shows the definition's schema. With <c>preset</c> (a paper design or <c>demo</c>/<c>quick</c>) or a full
    /// <c>definition</c> the experiment runs on the trainer silos; with neither it is a record only. <c>persistence</c>
    /// (a persistence preset: <c>default</c>, <c>demo</c>, <c>quick</c>) adds the persistence tests to a preset.
    /// </summary>
    public sealed record CreateExperimentBody(
        string? Name = null,
        string? Description = null,
        Dictionary<string, string>? Labels = null,
        string? Preset = null,
        ExperimentDefinition? Definition = null,
        string? Persistence = null);

    private static async Task<Results<Created<ExperimentResource>, ProblemHttpResult>> CreateAsync(
        HttpContext http, [AsParameters] ApiServices services, ISiloMetadataCache metadata, IOptions<ExperimentQuotaOptions> quotas, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateExperimentBody>(http.Request, ct);
        if (problem is not null) return problem;
        var tenant = http.User.TenantOf();
        if (body!.Preset is not null && body.Definition is not null) return ApiProblems.InvalidField("$.definition", "Give either a preset or a definition, not both.");
        ExperimentDefinition? definition = body.Definition;
        if (body.Preset is { } preset)
        {
            if (!ExperimentPresets.Names.Contains(preset, StringComparer.Ordinal))
                return ApiProblems.InvalidField("$.preset", $"Unknown preset '{preset}'; expected one of {string.Join(", ", ExperimentPresets.Names)}.");
            definition = ExperimentPresets.Get(preset);
        }

        if (body.Persistence is { } persistence)
        {
            if (body.Preset is null) return ApiProblems.InvalidField("$.persistence", "persistence adds the persistence tests to a preset; a full definition has its own 'persistence' section.");
            try
            {
                definition = definition! with { Persistence = Durability.Running.PersistenceSpec.Preset(persistence) };
            }
            catch (ArgumentException e)
            {
                return ApiProblems.InvalidField("$.persistence", ApiProblems.MessageOf(e));
            }
        }

        var name = body.Name ?? definition?.Name;
        if (name is null) return ApiProblems.InvalidField("$.name", "name is required when neither a preset nor a definition is given.");
        var nameField = body.Name is null && body.Definition is not null ? "$.definition.name" : "$.name";
        if (TextRules.NameAndDescription(name, body.Description, nameField) is { } invalid) return invalid;
        if (ValidateLabels(body.Labels) is { } badLabel) return badLabel;
        if (definition is not null)
        {
            if (await ValidateDefinitionAsync(definition, tenant, body.Preset is null, quotas.Value.For(tenant), services) is { } wrong) return wrong;
            if (!await ClusterApi.HasActiveTrainerAsync(services.Grains, metadata)) return ApiProblems.NoTrainer(http.Response, "the experiment");
        }

        var id = ResourceKey.NewId("exp");
        var grain = Grain(services, http, id);
        await grain.CreateAsync(new ExperimentSpec
        {
            Name = name.Trim(),
            Description = body.Description,
            Labels = body.Labels ?? [],
            Definition = definition is null ? null : ExperimentJson.Serialize(definition),
        });
        var info = await grain.SubmitAsync();
        http.Response.SetETag(info.Revision);
        return TypedResults.Created($"/api/v1/experiments/{id}", ToResource(info));
    }

    /// <summary>Every spec rule, then the references the spec makes to this tenant's resources.</summary>
    private static async Task<ProblemHttpResult?> ValidateDefinitionAsync(ExperimentDefinition definition, string tenant, bool fromBody, ExperimentLimits limits, ApiServices services)
    {
        var prefix = fromBody ? "$.definition" : "$.preset";
        var errors = ExperimentValidator.Validate(definition, limits: limits).Select(e => (Field: fromBody ? prefix + e.Path[1..] : prefix, e.Message)).ToList();
        if (definition.StartingModel.CheckpointId is { } start)
        {
            if (!ResourceKey.IsValidId(start) || await services.Grains.GetGrain<ICheckpointGrain>(ResourceKey.For(tenant, start)).GetAsync() is not { } checkpoint)
                errors.Add(($"{prefix}.startingModel.checkpointId", $"There is no checkpoint '{start}'."));
            else if (checkpoint.Details.ModelMetadataPath is null)
                errors.Add(($"{prefix}.startingModel.checkpointId", $"Checkpoint '{start}' has no model description (meta.json), so it cannot be trained; import it with its meta.json."));
        }

        for (var a = 0; a < definition.Arms.Count; a++)
        {
            for (var s = 0; s < definition.Arms[a].Slices.Count; s++)
            {
                // The engine grades with a model grader only where its host supplies one, and no silo host supplies one:
                // refused here rather than failing the training job once it starts.
                if (definition.Arms[a].Slices[s].Grader == GraderKind.ModelGrader)
                    errors.Add(($"{prefix}.arms[{a}].slices[{s}].grader", "'modelGrader' cannot run on this service: no silo is configured with a model grader. Use builtInJudge, genericHelpfulness or openAi (OpenAI grader JSON: string_check, text_similarity, multi)."));
                if (definition.Arms[a].Slices[s].ScenarioSetId is not { } setId) continue;
                var set = ResourceKey.IsValidId(setId) ? await services.Grains.GetGrain<IScenarioSetGrain>(ResourceKey.For(tenant, setId)).GetAsync() : null;
                if (set is not { Versions.Count: > 0 })
                    errors.Add(($"{prefix}.arms[{a}].slices[{s}].scenarioSetId", set is null ? $"There is no scenario set '{setId}'." : $"Scenario set '{setId}' has no version yet."));
                else if (definition.Arms[a].Slices[s] is { Grader: GraderKind.OpenAi, OpenAiGrader: null } && set.Versions[^1] is { } newest && newest.GradedCount < newest.ItemCount)
                    errors.Add(($"{prefix}.arms[{a}].slices[{s}].openaiGrader",
                        $"The slice rewards each scenario with its own 'grader', but {newest.ItemCount - newest.GradedCount} of the {newest.ItemCount} scenarios of '{setId}' v{newest.Number} have none: give every line a grader, or the slice an openaiGrader."));
            }
        }

        return errors.Count == 0 ? null : ApiProblems.InvalidFields(errors);
    }

    private static async Task<Results<Ok<Page<ExperimentResource>>, ProblemHttpResult>> ListAsync(HttpContext http, [AsParameters] PageQuery query, [AsParameters] ApiServices services)
    {
        var (limit, error) = query.Validate();
        if (error is not null) return ApiProblems.InvalidField("limit", error);
        var tenant = http.User.TenantOf();
        var page = await Listing.PageAsync(services.Grains, tenant, ResourceKinds.Experiments, query.ContinuationToken, limit,
            id => services.Grains.GetGrain<IExperimentGrain>(ResourceKey.For(tenant, id)).GetAsync());
        return page.Problem is not null ? page.Problem : TypedResults.Ok(new Page<ExperimentResource>(page.Items.Select(ToResource).ToList(), page.ContinuationToken));
    }

    private static async Task<Results<Ok<ExperimentResource>, ProblemHttpResult>> GetAsync(string id, HttpContext http, [AsParameters] ApiServices services)
    {
        if (!ResourceKey.IsValidId(id) || await Grain(services, http, id).GetAsync() is not { } info) return ApiProblems.NotFound("experiment", id);
        http.Response.SetETag(info.Revision);
        return TypedResults.Ok(ToResource(info));
    }

    private static async Task<Results<Ok<ExperimentResource>, ProblemHttpResult>> UpdateAsync(string id, HttpContext http, [AsParameters] ApiServices services, CancellationToken ct)
    {
        if (!ResourceKey.IsValidId(id) || await Grain(services, http, id).GetAsync() is null) return ApiProblems.NotFound("experiment", id);
        var (revision, ifMatchProblem) = Revisions.ReadIfMatch(http.Request);
        if (ifMatchProblem is not null) return ifMatchProblem;
        var (body, problem) = await JsonBody.ReadAsync<UpdateExperimentRequest>(http.Request, ct);
        if (problem is not null) return problem;
        if ((body!.Name is null ? TextRules.Text("$.description", body.Description) : TextRules.NameAndDescription(body.Name, body.Description)) is { } invalid) return invalid;
        var info = await Grain(services, http, id).UpdateAsync(body.Name?.Trim(), body.Description, revision);
        http.Response.SetETag(info.Revision);
        return TypedResults.Ok(ToResource(info));
    }

    private static async Task<Results<Ok<ExperimentResource>, ProblemHttpResult>> CancelAsync(string id, HttpContext http, [AsParameters] ApiServices services, CancellationToken ct)
    {
        if (!ResourceKey.IsValidId(id) || await Grain(services, http, id).GetAsync() is null) return ApiProblems.NotFound("experiment", id);
        var (revision, ifMatchProblem) = Revisions.ReadIfMatch(http.Request);
        if (ifMatchProblem is not null) return ifMatchProblem;
        string? reason = null;
        if (http.Request.ContentLength > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            var (body, problem) = await JsonBody.ReadAsync<CancelExperimentRequest>(http.Request, ct);
            if (problem is not null) return problem;
            reason = body!.Reason;
        }

        var info = await Grain(services, http, id).CancelAsync(reason, revision);
        http.Response.SetETag(info.Revision);
        return TypedResults.Ok(ToResource(info));
    }

    private static Task<Results<Ok<ExperimentResource>, ProblemHttpResult>> PauseAsync(string id, HttpContext http, [AsParameters] ApiServices services) =>
        ChangeAsync(id, http, services, (grain, revision) => grain.PauseAsync(revision));

    private static Task<Results<Ok<ExperimentResource>, ProblemHttpResult>> ResumeAsync(string id, HttpContext http, [AsParameters] ApiServices services) =>
        ChangeAsync(id, http, services, (grain, revision) => grain.ResumeAsync(revision));

    private static async Task<Results<Ok<ExperimentResource>, ProblemHttpResult>> ChangeAsync(
        string id, HttpContext http, ApiServices services, Func<IExperimentGrain, long?, Task<ExperimentInfo>> change)
    {
        if (!ResourceKey.IsValidId(id) || await Grain(services, http, id).GetAsync() is null) return ApiProblems.NotFound("experiment", id);
        var (revision, ifMatchProblem) = Revisions.ReadIfMatch(http.Request);
        if (ifMatchProblem is not null) return ifMatchProblem;
        var info = await change(Grain(services, http, id), revision);
        http.Response.SetETag(info.Revision);
        return TypedResults.Ok(ToResource(info));
    }

    private static async Task<Results<Ok<IReadOnlyList<JobResource>>, ProblemHttpResult>> JobsAsync(string id, HttpContext http, [AsParameters] ApiServices services)
    {
        if (!ResourceKey.IsValidId(id) || await Grain(services, http, id).GetAsync() is null) return ApiProblems.NotFound("experiment", id);
        var jobs = await Grain(services, http, id).GetJobsAsync();
        return TypedResults.Ok<IReadOnlyList<JobResource>>([.. jobs.Select(j => new JobResource(
            j.Request.Name, j.Request.Kind, j.Request.Stage, j.Request.Arm, j.Request.Seed, j.Status, j.Worker, j.Attempts, j.Done, j.Total, j.Message,
            j.LastCheckpointStep, j.LastCheckpointId, j.Error, j.CreatedAt, j.StartedAt, j.FinishedAt,
            j.Request.Kind == ExperimentJobKind.TrainingRun ? $"/api/v1/experiments/{id}/runs/{TenantBlobLayout.RunKey(j.Request.Arm!, j.Request.Seed!.Value)}/metrics" : null))]);
    }

    private static async Task<IResult> MetricsAsync(string id, string run, HttpContext http, [AsParameters] ApiServices services, CancellationToken ct)
    {
        if (!ResourceKey.IsValidId(id) || await Grain(services, http, id).GetAsync() is null) return ApiProblems.NotFound("experiment", id);
        if (!ResourceKey.IsValidId(run)) return ApiProblems.NotFound("run", run);
        var path = TenantBlobLayout.InTenant(http.User.TenantOf(), TenantBlobLayout.RunMetrics(id, run));
        if (await services.Artifacts.GetInfoAsync(path, ct) is null) return ApiProblems.NotFound("run metrics", $"{id}/{run}");
        return TypedResults.Stream(await services.Artifacts.OpenReadAsync(path, ct), "application/x-ndjson", $"{id}-{run}-metrics.jsonl");
    }

    private static Task<IResult> ReportAsync(string id, HttpContext http, [AsParameters] ApiServices services, CancellationToken ct) =>
        ReportFileAsync(id, ReportStage.JsonFile, http, services, ct);

    private static async Task<IResult> ReportFileAsync(string id, string file, HttpContext http, [AsParameters] ApiServices services, CancellationToken ct)
    {
        if (!ResourceKey.IsValidId(id) || await Grain(services, http, id).GetAsync() is not { } info) return ApiProblems.NotFound("experiment", id);
        if (info.Results is null)
            return ApiProblems.Conflict($"Experiment '{id}' is {info.Status.ToString().ToLowerInvariant()} and has no report yet; the report is written when it completes.");
        if (!ResourceKey.IsValidId(file) || file.Contains("..", StringComparison.Ordinal)) return ApiProblems.NotFound("report file", file);
        var path = TenantBlobLayout.InTenant(http.User.TenantOf(), TenantBlobLayout.Report(id, file));
        if (await services.Artifacts.GetInfoAsync(path, ct) is null) return ApiProblems.NotFound("report file", file);
        var type = Path.GetExtension(file) switch { ".json" => "application/json", ".html" => "text/html; charset=utf-8", ".png" => "image/png", _ => "application/octet-stream" };
        // The HTML page opens in the browser; other files download under their own names.
        return TypedResults.Stream(await services.Artifacts.OpenReadAsync(path, ct), type, type.StartsWith("text/html", StringComparison.Ordinal) ? null : $"{id}-{file}");
    }

    private static async Task<Results<ServerSentEventsResult<ExperimentEventResource>, ProblemHttpResult>> StreamEventsAsync(
        string id, HttpContext http, [AsParameters] ApiServices services, CancellationToken ct)
    {
        if (!ResourceKey.IsValidId(id) || await Grain(services, http, id).GetAsync() is null) return ApiProblems.NotFound("experiment", id);
        var lastEventId = http.Request.Headers["Last-Event-ID"].ToString();
        long after = 0;
        if (lastEventId.Length > 0 && !long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out after))
            return ApiProblems.InvalidField("Last-Event-ID", "Last-Event-ID must be the sequence number of an event.");
        return TypedResults.ServerSentEvents(Follow(Grain(services, http, id), after, services.Options.Value.EventPollInterval, ct));
    }

    /// <summary>
    /// Polls the grain for events after the last one sent; short polls keep the grain free for the
    /// worker that reports progress, and work the same whichever silo hosts it.
    /// </summary>
    private static async IAsyncEnumerable<SseItem<ExperimentEventResource>> Follow(IExperimentGrain grain, long after, TimeSpan interval, [EnumeratorCancellation] CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var events = await grain.GetEventsAsync(after);
            foreach (var e in events)
            {
                after = e.Sequence;
                yield return new SseItem<ExperimentEventResource>(new(e.Sequence, e.At, e.Kind, e.Status, e.Stage, e.Fraction, e.Message, e.Job), e.Kind)
                {
                    EventId = e.Sequence.ToString(CultureInfo.InvariantCulture),
                };
            }

            var finished = events.Count > 0
                ? events[^1].Kind == "status" && events[^1].Status.IsTerminal()
                : (await grain.GetAsync())?.Status.IsTerminal() ?? true;
            if (finished) yield break;
            try
            {
                await Task.Delay(interval, ct);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    /// <summary>Labels name things in listings and reports: keys 1-64 and values at most 256 characters, plain text.</summary>
    private static ProblemHttpResult? ValidateLabels(Dictionary<string, string>? labels)
    {
        foreach (var (key, value) in labels ?? [])
        {
            var field = $"$.labels.{key}";
            if (key.Length is 0 or > 64 || value.Length > 256) return ApiProblems.InvalidField(field, "Label keys are 1-64 characters and values at most 256.");
            if ((TextRules.Plain(field, key) ?? TextRules.Plain(field, value)) is { } problem) return problem;
        }

        return null;
    }

    private static IExperimentGrain Grain(ApiServices services, HttpContext http, string id) =>
        services.Grains.GetGrain<IExperimentGrain>(ResourceKey.For(http.User.TenantOf(), id));

    private static ExperimentResource ToResource(ExperimentInfo info)
    {
        var self = $"/api/v1/experiments/{info.Id}";
        return new(
            info.Id, info.Spec.Name, info.Spec.Description, info.Spec.Labels, info.Status, info.CreatedAt, info.QueuedAt, info.StartedAt, info.FinishedAt,
            info.Error, info.Progress, info.Worker, info.Revision, $"{self}/events",
            [.. info.Stages.Select(s => new StageResource(s.Name, s.StartedAt, s.FinishedAt, s.Seconds))],
            info.Alarms,
            new ExperimentLinks(self, $"{self}/events", $"{self}/jobs", info.Results is null ? null : $"{self}/report", info.Results is null ? null : $"{self}/reports/report.html"),
            info.Spec.Definition is { } json ? JsonDocument.Parse(json).RootElement.Clone() : null);
    }
}
