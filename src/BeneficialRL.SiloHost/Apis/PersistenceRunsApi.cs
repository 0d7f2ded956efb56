using BeneficialRL.Contracts.Api;
using BeneficialRL.Contracts.Catalog;
using BeneficialRL.Contracts.Checkpoints;
using BeneficialRL.Contracts.Durability;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.Work;
using BeneficialRL.Durability.Running;
using BeneficialRL.SiloHost.Auth;
using BeneficialRL.SiloHost.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace BeneficialRL.SiloHost.Apis;

/// <summary>
/// Persistence runs: adversarial prompting and harmful fine-tuning dose ladders on any evaluable checkpoint
/// (imported or trained), compared with a reference checkpoint; results and a report page when done.
/// </summary>
public static class PersistenceRunsApi
{
    /// <summary>Maps <c>POST /api/v1/checkpoints/{id}/persistence-runs</c> and the routes under <c>/api/v1/persistence-runs</c>.</summary>
    public static IEndpointRouteBuilder MapPersistenceRunsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/v1/checkpoints/{id}/persistence-runs", CreateAsync).WithTags("Persistence").WithName("CreatePersistenceRun")
            .WithSummary("Run adversarial prompting and harmful fine-tuning on a checkpoint, against a reference checkpoint").RequireAuthorization("write");
        var api = routes.MapGroup("/api/v1/persistence-runs").WithTags("Persistence");
        api.MapGet("/", ListAsync).WithName("ListPersistenceRuns").WithSummary("List persistence runs, newest first").RequireAuthorization("read");
        api.MapGet("/{id}", GetAsync).WithName("GetPersistenceRun").WithSummary("Get a persistence run's status and progress").RequireAuthorization("read");
        api.MapPost("/{id}/cancel", CancelAsync).WithName("CancelPersistenceRun").WithSummary("Cancel a queued or running persistence run").RequireAuthorization("write");
        api.MapGet("/{id}/result", ResultAsync).WithName("GetPersistenceResult").WithSummary("The measured result as JSON, once completed").RequireAuthorization("read");
        api.MapGet("/{id}/report", ReportAsync).WithName("GetPersistenceReport").WithSummary("The report page (HTML with plots), once completed").RequireAuthorization("read");
        return routes;
    }

    /// <summary>Body of a create request: a preset (<c>default</c>, <c>demo</c>, <c>quick</c>; default <c>default</c>) or a full spec.</summary>
    public sealed record CreatePersistenceRunRequest(string? ReferenceCheckpointId = null, string? Preset = null, PersistenceSpec? Spec = null);

    /// <summary>A persistence run as the API shows it.</summary>
    public sealed record PersistenceRunResource(
        string Id, string CheckpointId, string? ReferenceCheckpointId, WorkStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt,
        DateTimeOffset? FinishedAt, string? Worker, string? Phase, long Done, long Total, string? Message, string? Error, int Attempts,
        IReadOnlyList<string> DoseCheckpointIds, string? Result, string? Report);

    private static async Task<Results<Created<PersistenceRunResource>, ProblemHttpResult>> CreateAsync(
        string id, HttpContext http, [AsParameters] ApiServices services, ISiloMetadataCache metadata, CancellationToken ct)
    {
        var tenant = http.User.TenantOf();
        switch (await EvaluableCheckpoints.CheckAsync(services.Grains, tenant, id, "tested"))
        {
            case (EvaluableCheckpoints.Verdict.Absent, _): return ApiProblems.NotFound("checkpoint", id);
            case (EvaluableCheckpoints.Verdict.WeightsOnly, var reason): return ApiProblems.Conflict(reason!);
        }

        var (body, problem) = http.Request.ContentLength is 0 || (http.Request.ContentLength is null && http.Request.Headers.TransferEncoding.Count == 0)
            ? (new CreatePersistenceRunRequest(), null)
            : await JsonBody.ReadAsync<CreatePersistenceRunRequest>(http.Request, ct);
        if (problem is not null) return problem;
        if (body!.Preset is not null && body.Spec is not null) return ApiProblems.InvalidField("$.spec", "Give either a preset or a spec, not both.");
        PersistenceSpec spec;
        try
        {
            spec = body.Spec ?? PersistenceSpec.Preset(body.Preset ?? "default");
        }
        catch (ArgumentException e)
        {
            return ApiProblems.InvalidField("$.preset", ApiProblems.MessageOf(e));
        }

        if (spec.Validate() is { Count: > 0 } errors)
            return ApiProblems.InvalidFields([.. errors.Select(e => ((body.Spec is null ? "$.preset" : "$.spec" + e.Path[1..]), e.Message))]);
        if (body.ReferenceCheckpointId is { } reference
            && await EvaluableCheckpoints.CheckAsync(services.Grains, tenant, reference, "tested") is { Verdict: not EvaluableCheckpoints.Verdict.Evaluable } wrong)
            return ApiProblems.InvalidField("$.referenceCheckpointId", wrong.Reason ?? $"There is no checkpoint '{reference}'.");
        if (!await ClusterApi.HasActiveTrainerAsync(services.Grains, metadata)) return ApiProblems.NoTrainer(http.Response, "the run");

        var runId = ResourceKey.NewId("prun");
        var info = await Grain(services, tenant, runId).CreateAsync(new PersistenceRunRequest
        {
            CheckpointId = id,
            ReferenceCheckpointId = body.ReferenceCheckpointId,
            Spec = PersistenceJson.Serialize(spec),
        });
        return TypedResults.Created($"/api/v1/persistence-runs/{runId}", ToResource(info));
    }

    private static async Task<Results<Ok<Page<PersistenceRunResource>>, ProblemHttpResult>> ListAsync(HttpContext http, [AsParameters] PageQuery query, [AsParameters] ApiServices services)
    {
        var (limit, error) = query.Validate();
        if (error is not null) return ApiProblems.InvalidField("limit", error);
        var tenant = http.User.TenantOf();
        var page = await Listing.PageAsync(services.Grains, tenant, ResourceKinds.PersistenceRuns, query.ContinuationToken, limit, id => Grain(services, tenant, id).GetAsync());
        return page.Problem is not null ? page.Problem : TypedResults.Ok(new Page<PersistenceRunResource>(page.Items.Select(ToResource).ToList(), page.ContinuationToken));
    }

    private static async Task<Results<Ok<PersistenceRunResource>, ProblemHttpResult>> GetAsync(string id, HttpContext http, [AsParameters] ApiServices services)
    {
        if (!ResourceKey.IsValidId(id) || await Grain(services, http.User.TenantOf(), id).GetAsync() is not { } info) return ApiProblems.NotFound("persistence run", id);
        return TypedResults.Ok(ToResource(info));
    }

    private static async Task<Results<Ok<PersistenceRunResource>, ProblemHttpResult>> CancelAsync(string id, HttpContext http, [AsParameters] ApiServices services)
    {
        if (!ResourceKey.IsValidId(id) || await Grain(services, http.User.TenantOf(), id).GetAsync() is null) return ApiProblems.NotFound("persistence run", id);
        return TypedResults.Ok(ToResource(await Grain(services, http.User.TenantOf(), id).CancelAsync()));
    }

    private static Task<IResult> ResultAsync(string id, HttpContext http, [AsParameters] ApiServices services, CancellationToken ct) =>
        OutputAsync(id, http, services, info => info.ResultPath, "application/json", $"{id}-persistence.json", ct);

    private static Task<IResult> ReportAsync(string id, HttpContext http, [AsParameters] ApiServices services, CancellationToken ct) =>
        OutputAsync(id, http, services, info => info.ReportPath, "text/html; charset=utf-8", null, ct);

    private static async Task<IResult> OutputAsync(string id, HttpContext http, ApiServices services, Func<PersistenceRunInfo, string?> path, string contentType, string? fileName, CancellationToken ct)
    {
        if (!ResourceKey.IsValidId(id) || await Grain(services, http.User.TenantOf(), id).GetAsync() is not { } info) return ApiProblems.NotFound("persistence run", id);
        if (info.Status != WorkStatus.Completed || path(info) is not { } blob)
            return ApiProblems.Conflict($"Persistence run '{id}' is {info.Status.ToString().ToLowerInvariant()}; its result exists once it has completed.");
        return TypedResults.Stream(await services.Artifacts.OpenReadAsync(blob, ct), contentType, fileName);
    }

    private static IPersistenceRunGrain Grain(ApiServices services, string tenant, string id) =>
        services.Grains.GetGrain<IPersistenceRunGrain>(ResourceKey.For(tenant, id));

    private static PersistenceRunResource ToResource(PersistenceRunInfo info) => new(
        info.Id, info.Request.CheckpointId, info.Request.ReferenceCheckpointId, info.Status, info.CreatedAt, info.StartedAt, info.FinishedAt, info.Worker,
        info.Phase, info.Done, info.Total, info.Message, info.Error, info.Attempts, info.DoseCheckpointIds,
        info.ResultPath is null ? null : $"/api/v1/persistence-runs/{info.Id}/result",
        info.ReportPath is null ? null : $"/api/v1/persistence-runs/{info.Id}/report");
}
