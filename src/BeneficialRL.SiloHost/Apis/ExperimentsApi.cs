using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using BeneficialRL.Contracts.Catalog;
using BeneficialRL.Contracts.Experiments;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.SiloHost.Auth;
using BeneficialRL.SiloHost.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BeneficialRL.SiloHost.Apis;

/// <summary>Experiments: create (queued for a trainer), list, get, update, cancel, and progress as server-sent events.</summary>
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
        api.MapPost("/{id}/cancel", CancelAsync).WithName("CancelExperiment").WithSummary("Cancel a created, queued or running experiment").RequireAuthorization("write");
        api.MapGet("/{id}/events", StreamEventsAsync).WithName("StreamExperimentEvents")
            .WithSummary("Server-sent events of status and progress; resumes after Last-Event-ID; ends after a terminal status").RequireAuthorization("read");
        return routes;
    }

    /// <summary>Body of a create request.</summary>
    public sealed record CreateExperimentRequest(string Name, string? Description = null, Dictionary<string, string>? Labels = null);

    /// <summary>Body of an update request; absent members are left unchanged.</summary>
    public sealed record UpdateExperimentRequest(string? Name = null, string? Description = null);

    /// <summary>Body of a cancel request (optional).</summary>
    public sealed record CancelExperimentRequest(string? Reason = null);

    /// <summary>An experiment as the API shows it.</summary>
    public sealed record ExperimentResource(
        string Id, string Name, string? Description, IReadOnlyDictionary<string, string> Labels, ExperimentStatus Status,
        DateTimeOffset CreatedAt, DateTimeOffset? QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
        string? Error, ExperimentProgress? Progress, string? Worker, long Revision, string Events);

    /// <summary>One event as streamed.</summary>
    public sealed record ExperimentEventResource(long Sequence, DateTimeOffset At, string Kind, ExperimentStatus Status, string? Stage, double? Fraction, string? Message);

    private static async Task<Results<Created<ExperimentResource>, ProblemHttpResult>> CreateAsync(HttpContext http, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateExperimentRequest>(http.Request, ct);
        if (problem is not null) return problem;
        if (Validate(body!.Name, body.Description) is { } invalid) return invalid;
        if (body.Labels is { } labels && labels.FirstOrDefault(l => l.Key.Length is 0 or > 64 || l.Value.Length > 256) is { Key: not null } bad)
            return ApiProblems.InvalidField($"$.labels.{bad.Key}", "Label keys are 1-64 characters and values at most 256.");

        var id = ResourceKey.NewId("exp");
        var grain = Grain(services, http, id);
        await grain.CreateAsync(new ExperimentSpec { Name = body.Name.Trim(), Description = body.Description, Labels = body.Labels ?? [] });
        var info = await grain.SubmitAsync();
        http.Response.SetETag(info.Revision);
        return TypedResults.Created($"/api/v1/experiments/{id}", ToResource(info));
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
        if (body!.Name is not null && Validate(body.Name, body.Description) is { } invalid) return invalid;
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
                yield return new SseItem<ExperimentEventResource>(new(e.Sequence, e.At, e.Kind, e.Status, e.Stage, e.Fraction, e.Message), e.Kind)
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

    private static ProblemHttpResult? Validate(string name, string? description) =>
        string.IsNullOrWhiteSpace(name) ? ApiProblems.InvalidField("$.name", "name is required and cannot be blank.")
        : name.Length > 200 ? ApiProblems.InvalidField("$.name", "name is at most 200 characters.")
        : description?.Length > 4000 ? ApiProblems.InvalidField("$.description", "description is at most 4000 characters.")
        : null;

    private static IExperimentGrain Grain(ApiServices services, HttpContext http, string id) =>
        services.Grains.GetGrain<IExperimentGrain>(ResourceKey.For(http.User.TenantOf(), id));

    private static ExperimentResource ToResource(ExperimentInfo info) => new(
        info.Id, info.Spec.Name, info.Spec.Description, info.Spec.Labels, info.Status, info.CreatedAt, info.QueuedAt, info.StartedAt, info.FinishedAt,
        info.Error, info.Progress, info.Worker, info.Revision, $"/api/v1/experiments/{info.Id}/events");
}
