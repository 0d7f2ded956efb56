using BeneficialRL.Contracts.Api;
using BeneficialRL.Contracts.BenchmarkRuns;
using BeneficialRL.Contracts.Catalog;
using BeneficialRL.Contracts.Checkpoints;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.Work;
using BeneficialRL.Grains.BenchmarkRuns;
using BeneficialRL.SiloHost.Auth;
using BeneficialRL.SiloHost.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace BeneficialRL.SiloHost.Apis;

/// <summary>Benchmark runs: one benchmark on one checkpoint, placed on a trainer silo.</summary>
public static class BenchmarkRunsApi
{
    /// <summary>Maps the routes under <c>/api/v1/benchmark-runs</c>.</summary>
    public static IEndpointRouteBuilder MapBenchmarkRunsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/benchmark-runs").WithTags("Benchmark runs");
        api.MapPost("/", CreateAsync).WithName("CreateBenchmarkRun").WithSummary("Queue a benchmark run of a checkpoint").RequireAuthorization("write");
        api.MapGet("/", ListAsync).WithName("ListBenchmarkRuns").WithSummary("List benchmark runs, newest first").RequireAuthorization("read");
        api.MapGet("/{id}", GetAsync).WithName("GetBenchmarkRun").WithSummary("Get a run's status, worker and summary").RequireAuthorization("read");
        api.MapPost("/{id}/cancel", CancelAsync).WithName("CancelBenchmarkRun").WithSummary("Cancel a queued or running run").RequireAuthorization("write");
        api.MapGet("/{id}/items", ItemsAsync).WithName("GetBenchmarkRunItems").WithSummary("Stream the per-item results (JSONL) of a completed run").RequireAuthorization("read");
        return routes;
    }

    private static async Task<Results<Created<BenchmarkRunResource>, ProblemHttpResult>> CreateAsync(
        HttpContext http, [AsParameters] ApiServices services, ISiloMetadataCache metadata, BenchmarkResolver benchmarks, CancellationToken ct)
    {
        var tenant = http.User.TenantOf();
        var (body, problem) = await JsonBody.ReadAsync<CreateBenchmarkRunRequest>(http.Request, ct);
        if (problem is not null) return problem;
        var (verdict, notEvaluable) = await EvaluableCheckpoints.CheckAsync(services.Grains, tenant, body!.CheckpointId, "evaluated");
        if (verdict == EvaluableCheckpoints.Verdict.Absent) return ApiProblems.InvalidField("$.checkpointId", $"There is no checkpoint '{body.CheckpointId}'.");
        if (!await benchmarks.ExistsAsync(tenant, body.BenchmarkId)) return ApiProblems.InvalidField("$.benchmarkId", $"There is no benchmark '{body.BenchmarkId}'; GET /api/v1/benchmarks lists them.");
        if (body.MaxItems is < 1) return ApiProblems.InvalidField("$.maxItems", "maxItems is at least 1.");
        if (body.SamplesPerItem is < 1 or > 16) return ApiProblems.InvalidField("$.samplesPerItem", "samplesPerItem is between 1 and 16.");

        // Like persistence runs: a request that is well-formed but names a checkpoint that cannot be loaded is refused now, not failed later on a trainer.
        if (verdict == EvaluableCheckpoints.Verdict.WeightsOnly) return ApiProblems.Conflict(notEvaluable!);
        if (!await ClusterApi.HasActiveTrainerAsync(services.Grains, metadata)) return ApiProblems.NoTrainer(http.Response, "the run");

        var id = ResourceKey.NewId("run");
        var info = await Grain(services, http, id).CreateAsync(new BenchmarkRunRequest
        {
            CheckpointId = body.CheckpointId,
            BenchmarkId = body.BenchmarkId,
            MaxItems = body.MaxItems,
            SamplesPerItem = body.SamplesPerItem,
        });
        return TypedResults.Created($"/api/v1/benchmark-runs/{id}", ToResource(info));
    }

    private static async Task<Results<Ok<Page<BenchmarkRunResource>>, ProblemHttpResult>> ListAsync(HttpContext http, [AsParameters] PageQuery query, [AsParameters] ApiServices services)
    {
        var (limit, error) = query.Validate();
        if (error is not null) return ApiProblems.InvalidField("limit", error);
        var tenant = http.User.TenantOf();
        var page = await Listing.PageAsync(services.Grains, tenant, ResourceKinds.BenchmarkRuns, query.ContinuationToken, limit,
            id => services.Grains.GetGrain<IBenchmarkRunGrain>(ResourceKey.For(tenant, id)).GetAsync());
        return page.Problem is not null ? page.Problem : TypedResults.Ok(new Page<BenchmarkRunResource>(page.Items.Select(ToResource).ToList(), page.ContinuationToken));
    }

    private static async Task<Results<Ok<BenchmarkRunResource>, ProblemHttpResult>> GetAsync(string id, HttpContext http, [AsParameters] ApiServices services)
    {
        if (!ResourceKey.IsValidId(id) || await Grain(services, http, id).GetAsync() is not { } info) return ApiProblems.NotFound("benchmark run", id);
        return TypedResults.Ok(ToResource(info));
    }

    private static async Task<Results<Ok<BenchmarkRunResource>, ProblemHttpResult>> CancelAsync(string id, HttpContext http, [AsParameters] ApiServices services)
    {
        if (!ResourceKey.IsValidId(id) || await Grain(services, http, id).GetAsync() is null) return ApiProblems.NotFound("benchmark run", id);
        return TypedResults.Ok(ToResource(await Grain(services, http, id).CancelAsync()));
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> ItemsAsync(string id, HttpContext http, [AsParameters] ApiServices services, CancellationToken ct)
    {
        if (!ResourceKey.IsValidId(id) || await Grain(services, http, id).GetAsync() is not { } info) return ApiProblems.NotFound("benchmark run", id);
        if (info.Status != WorkStatus.Completed || info.ItemsPath is null)
            return ApiProblems.Conflict($"Benchmark run '{id}' is {info.Status}; per-item results exist once it has completed.");
        return TypedResults.Stream(await services.Artifacts.OpenReadAsync(info.ItemsPath, ct), "application/x-ndjson", $"{id}-items.jsonl");
    }

    private static IBenchmarkRunGrain Grain(ApiServices services, HttpContext http, string id) =>
        services.Grains.GetGrain<IBenchmarkRunGrain>(ResourceKey.For(http.User.TenantOf(), id));

    private static BenchmarkRunResource ToResource(BenchmarkRunInfo info) => new(
        info.Id, info.CheckpointId, info.BenchmarkId, info.Status, info.CreatedAt, info.StartedAt, info.FinishedAt, info.Worker,
        info.ItemsDone, info.ItemsTotal, info.Summary, info.Error, info.ItemsPath is null ? null : $"/api/v1/benchmark-runs/{info.Id}/items",
        info.Request?.MaxItems, info.Evaluated);
}
