using BeneficialRL.Evals.Definitions;
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

/// <summary>Suite runs: a whole suite (or a list of benchmarks) on one checkpoint, fanned out across trainer silos.</summary>
public static class SuiteRunsApi
{
    /// <summary>Suites a request can name.</summary>
    public static readonly IReadOnlyList<string> Suites = ["builtin", "held-out", "all"];

    /// <summary>Maps the routes under <c>/api/v1/suite-runs</c>.</summary>
    public static IEndpointRouteBuilder MapSuiteRunsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/suite-runs").WithTags("Benchmark runs");
        api.MapPost("/", CreateAsync).WithName("CreateSuiteRun").WithSummary("Run a suite (builtin, held-out, all) or a list of benchmarks on a checkpoint").RequireAuthorization("write");
        api.MapGet("/", ListAsync).WithName("ListSuiteRuns").WithSummary("List suite runs, newest first").RequireAuthorization("read");
        api.MapGet("/{id}", GetAsync).WithName("GetSuiteRun").WithSummary("A suite run with each benchmark run's status and summary").RequireAuthorization("read");
        api.MapPost("/{id}/cancel", CancelAsync).WithName("CancelSuiteRun").WithSummary("Cancel every unfinished run of the suite").RequireAuthorization("write");
        return routes;
    }

    /// <summary>Body of a create request: a named <c>suite</c> or explicit <c>benchmarkIds</c>.</summary>
    public sealed record CreateSuiteRunRequest(string CheckpointId, string? Suite = null, IReadOnlyList<string>? BenchmarkIds = null, int? MaxItemsPerBenchmark = null, int? SamplesPerItem = null);

    /// <summary>A suite run as the API shows it.</summary>
    public sealed record SuiteRunResource(string Id, string CheckpointId, string Suite, DateTimeOffset CreatedAt, int Total, int Completed, int Stopped, bool Finished,
        IReadOnlyList<SuiteRunEntry> Runs);

    /// <summary>One benchmark's run inside a suite run.</summary>
    public sealed record SuiteRunEntry(string RunId, string BenchmarkId, WorkStatus Status, string Worker, int ItemsDone, int? ItemsTotal, BenchmarkSummary? Summary, string? Error);

    private static async Task<Results<Created<SuiteRunResource>, ProblemHttpResult>> CreateAsync(
        HttpContext http, [AsParameters] ApiServices services, ISiloMetadataCache metadata, BenchmarkResolver benchmarks, CancellationToken ct)
    {
        var tenant = http.User.TenantOf();
        var (body, problem) = await JsonBody.ReadAsync<CreateSuiteRunRequest>(http.Request, ct);
        if (problem is not null) return problem;
        var (verdict, notEvaluable) = await EvaluableCheckpoints.CheckAsync(services.Grains, tenant, body!.CheckpointId, "evaluated");
        if (verdict == EvaluableCheckpoints.Verdict.Absent) return ApiProblems.InvalidField("$.checkpointId", $"There is no checkpoint '{body.CheckpointId}'.");

        if ((body.Suite is null) == (body.BenchmarkIds is null))
            return ApiProblems.InvalidField("$.suite", $"Give either suite ({string.Join(", ", Suites)}) or benchmarkIds, not both.");
        if (body.MaxItemsPerBenchmark is < 1) return ApiProblems.InvalidField("$.maxItemsPerBenchmark", "maxItemsPerBenchmark is at least 1.");
        if (body.SamplesPerItem is < 1 or > 16) return ApiProblems.InvalidField("$.samplesPerItem", "samplesPerItem is between 1 and 16.");

        IReadOnlyList<string> ids;
        if (body.Suite is { } suite)
        {
            var definitions = benchmarks.BuiltIn.Definitions;
            ids = suite switch
            {
                "builtin" => [.. definitions.Where(d => d.Family != BenchmarkFamilies.HeldOutTraits).Select(d => d.Id)],
                "held-out" => [.. definitions.Where(d => d.Family == BenchmarkFamilies.HeldOutTraits).Select(d => d.Id)],
                "all" => [.. definitions.Select(d => d.Id)],
                _ => [],
            };
            if (ids.Count == 0) return ApiProblems.InvalidField("$.suite", $"Unknown suite '{suite}'; expected one of {string.Join(", ", Suites)}.");
        }
        else
        {
            ids = body.BenchmarkIds!;
            if (ids.Count == 0) return ApiProblems.InvalidField("$.benchmarkIds", "benchmarkIds is empty.");
            for (var i = 0; i < ids.Count; i++)
            {
                if (!await benchmarks.ExistsAsync(tenant, ids[i])) return ApiProblems.InvalidField($"$.benchmarkIds[{i}]", $"There is no benchmark '{ids[i]}'.");
            }
        }

        // Like persistence runs: a request that is well-formed but names a checkpoint that cannot be loaded is refused now, not failed later on a trainer.
        if (verdict == EvaluableCheckpoints.Verdict.WeightsOnly) return ApiProblems.Conflict(notEvaluable!);
        if (!await ClusterApi.HasActiveTrainerAsync(services.Grains, metadata)) return ApiProblems.NoTrainer(http.Response, "the runs");

        var id = ResourceKey.NewId("suite");
        var info = await Grain(services, http, id).CreateAsync(body.CheckpointId, body.Suite ?? "custom", ids, body.MaxItemsPerBenchmark, body.SamplesPerItem);
        return TypedResults.Created($"/api/v1/suite-runs/{id}", ToResource(info));
    }

    private static async Task<Results<Ok<Page<SuiteRunResource>>, ProblemHttpResult>> ListAsync(HttpContext http, [AsParameters] PageQuery query, [AsParameters] ApiServices services)
    {
        var (limit, error) = query.Validate();
        if (error is not null) return ApiProblems.InvalidField("limit", error);
        var tenant = http.User.TenantOf();
        var page = await Listing.PageAsync(services.Grains, tenant, ResourceKinds.SuiteRuns, query.ContinuationToken, limit,
            id => services.Grains.GetGrain<ISuiteRunGrain>(ResourceKey.For(tenant, id)).GetAsync());
        return page.Problem is not null ? page.Problem : TypedResults.Ok(new Page<SuiteRunResource>(page.Items.Select(ToResource).ToList(), page.ContinuationToken));
    }

    private static async Task<Results<Ok<SuiteRunResource>, ProblemHttpResult>> GetAsync(string id, HttpContext http, [AsParameters] ApiServices services) =>
        ResourceKey.IsValidId(id) && await Grain(services, http, id).GetAsync() is { } info ? TypedResults.Ok(ToResource(info)) : ApiProblems.NotFound("suite run", id);

    private static async Task<Results<Ok<SuiteRunResource>, ProblemHttpResult>> CancelAsync(string id, HttpContext http, [AsParameters] ApiServices services)
    {
        if (!ResourceKey.IsValidId(id) || await Grain(services, http, id).GetAsync() is null) return ApiProblems.NotFound("suite run", id);
        return TypedResults.Ok(ToResource(await Grain(services, http, id).CancelAsync()));
    }

    private static ISuiteRunGrain Grain(ApiServices services, HttpContext http, string id) =>
        services.Grains.GetGrain<ISuiteRunGrain>(ResourceKey.For(http.User.TenantOf(), id));

    private static SuiteRunResource ToResource(SuiteRunInfo info) => new(
        info.Id, info.CheckpointId, info.Suite, info.CreatedAt, info.Runs.Count, info.Completed, info.Stopped, info.Finished,
        [.. info.Runs.Select(r => new SuiteRunEntry(r.Id, r.BenchmarkId, r.Status, r.Worker, r.ItemsDone, r.ItemsTotal, r.Summary, r.Error))]);
}
