using BeneficialRL.Contracts.Api;
using BeneficialRL.Contracts.Catalog;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.ScenarioSets;
using BeneficialRL.Scenarios.Schema;
using BeneficialRL.SiloHost.Auth;
using BeneficialRL.SiloHost.Http;
using BeneficialRL.Primitives.Layout;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BeneficialRL.SiloHost.Apis;

/// <summary>Scenario sets: create, upload validated JSONL versions, list, get, download.</summary>
public static class ScenarioSetsApi
{
    private static readonly string[] JsonlMediaTypes = ["application/x-ndjson", "application/jsonl", "application/json-lines", "application/x-jsonlines", "text/plain", "application/octet-stream"];

    /// <summary>Maps the routes under <c>/api/v1/scenario-sets</c>.</summary>
    public static IEndpointRouteBuilder MapScenarioSetsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/scenario-sets").WithTags("Scenario sets");
        api.MapPost("/", CreateAsync).WithName("CreateScenarioSet").WithSummary("Create an empty scenario set").RequireAuthorization("write");
        api.MapGet("/", ListAsync).WithName("ListScenarioSets").WithSummary("List scenario sets, newest first").RequireAuthorization("read");
        api.MapGet("/{id}", GetAsync).WithName("GetScenarioSet").WithSummary("Get a scenario set and its versions").RequireAuthorization("read");
        api.MapPatch("/{id}", UpdateAsync).WithName("UpdateScenarioSet").WithSummary("Rename or describe a scenario set (If-Match)").RequireAuthorization("write");
        api.MapPost("/{id}/versions", UploadVersionAsync).WithName("UploadScenarioSetVersion")
            .WithSummary("Upload a JSONL version: validated in full, then stored immutably; returns its hash")
            .DocumentsUpload("application/x-ndjson").RequireAuthorization("write");
        api.MapGet("/{id}/versions/{number:int}", DownloadVersionAsync).WithName("DownloadScenarioSetVersion").WithSummary("Download a version's JSONL").RequireAuthorization("read");
        routes.MapGet("/api/v1/schemas/scenario", () => TypedResults.Text(ScenarioSchema.Json, "application/schema+json"))
            .WithTags("Scenario sets").WithName("GetScenarioSchema").WithSummary("The JSON Schema of one scenario (one JSONL line)").RequireAuthorization("read");
        return routes;
    }

    /// <summary>Body of a create request.</summary>
    public sealed record CreateScenarioSetRequest(string Name, string? Description = null);

    /// <summary>Body of an update request; absent members are left unchanged.</summary>
    public sealed record UpdateScenarioSetRequest(string? Name = null, string? Description = null);

    /// <summary>A scenario set as the API shows it.</summary>
    public sealed record ScenarioSetResource(string Id, string Name, string? Description, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long Revision, IReadOnlyList<ScenarioSetVersionResource> Versions);

    /// <summary>A version as the API shows it.</summary>
    public sealed record ScenarioSetVersionResource(int Number, string Sha256, int ItemCount, long Bytes, DateTimeOffset CreatedAt, string Download);

    private static async Task<Results<Created<ScenarioSetResource>, ProblemHttpResult>> CreateAsync(HttpContext http, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateScenarioSetRequest>(http.Request, ct);
        if (problem is not null) return problem;
        if (TextRules.NameAndDescription(body!.Name, body.Description) is { } invalid) return invalid;

        var id = ResourceKey.NewId("ss");
        var info = await Grain(services, http, id).CreateAsync(body.Name.Trim(), body.Description);
        http.Response.SetETag(info.Revision);
        return TypedResults.Created($"/api/v1/scenario-sets/{id}", ToResource(info));
    }

    private static async Task<Results<Ok<Page<ScenarioSetResource>>, ProblemHttpResult>> ListAsync(HttpContext http, [AsParameters] PageQuery query, [AsParameters] ApiServices services)
    {
        var (limit, error) = query.Validate();
        if (error is not null) return ApiProblems.InvalidField("limit", error);
        var tenant = http.User.TenantOf();
        var page = await Listing.PageAsync(services.Grains, tenant, ResourceKinds.ScenarioSets, query.ContinuationToken, limit,
            id => services.Grains.GetGrain<IScenarioSetGrain>(ResourceKey.For(tenant, id)).GetAsync());
        return page.Problem is not null ? page.Problem : TypedResults.Ok(new Page<ScenarioSetResource>(page.Items.Select(ToResource).ToList(), page.ContinuationToken));
    }

    private static async Task<Results<Ok<ScenarioSetResource>, ProblemHttpResult>> GetAsync(string id, HttpContext http, [AsParameters] ApiServices services)
    {
        if (!ResourceKey.IsValidId(id) || await Grain(services, http, id).GetAsync() is not { } info) return ApiProblems.NotFound("scenario set", id);
        http.Response.SetETag(info.Revision);
        return TypedResults.Ok(ToResource(info));
    }

    private static async Task<Results<Ok<ScenarioSetResource>, ProblemHttpResult>> UpdateAsync(string id, HttpContext http, [AsParameters] ApiServices services, CancellationToken ct)
    {
        if (!ResourceKey.IsValidId(id) || await Grain(services, http, id).GetAsync() is null) return ApiProblems.NotFound("scenario set", id);
        var (revision, ifMatchProblem) = Revisions.ReadIfMatch(http.Request);
        if (ifMatchProblem is not null) return ifMatchProblem;
        var (body, problem) = await JsonBody.ReadAsync<UpdateScenarioSetRequest>(http.Request, ct);
        if (problem is not null) return problem;
        if ((body!.Name is null ? TextRules.Text("$.description", body.Description) : TextRules.NameAndDescription(body.Name, body.Description)) is { } invalid) return invalid;

        var info = await Grain(services, http, id).UpdateAsync(body.Name?.Trim(), body.Description, revision);
        http.Response.SetETag(info.Revision);
        return TypedResults.Ok(ToResource(info));
    }

    private static async Task<Results<Created<ScenarioSetVersionResource>, ProblemHttpResult>> UploadVersionAsync(string id, HttpContext http, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var tenant = http.User.TenantOf();
        if (!ResourceKey.IsValidId(id) || await Grain(services, http, id).GetAsync() is null) return ApiProblems.NotFound("scenario set", id);
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim();
        if (mediaType is not null && !JsonlMediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase)) return ApiProblems.UnsupportedMediaType("JSONL (application/x-ndjson)");

        var (spool, tooLarge) = await UploadSpool.ReceiveAsync(http.Request, services.Options.Value.MaxUploadBytes, ct);
        if (tooLarge is not null) return tooLarge;
        await using var upload = spool!;

        // Validate every line before anything is stored: an upload is all or nothing.
        int itemCount, gradedCount;
        using (var reader = new StreamReader(upload.OpenRead()))
        {
            var (scenarios, errors) = ScenarioJsonl.TryRead(reader);
            if (errors.Count > 0) return ApiProblems.InvalidLines(errors.Take(20).Select(e => (e.Line, e.Field, e.Message)).ToList(), errors.Count);
            if (scenarios.Count == 0) return ApiProblems.InvalidField("body", "The upload holds no scenarios.");
            itemCount = scenarios.Count;
            gradedCount = scenarios.Count(s => s.Grader is not null);
        }

        var path = TenantBlobLayout.InTenant(tenant, TenantBlobLayout.ScenarioVersion(id, upload.Sha256));
        await using (var content = upload.OpenRead())
        {
            await services.Artifacts.PutAsync(path, content, "application/x-ndjson", TenantBlobLayout.WriteModeOf(path), cancellationToken: ct);
        }

        var version = await Grain(services, http, id).AddVersionAsync(new NewScenarioSetVersion(upload.Sha256, path, itemCount, upload.Length, gradedCount));
        return TypedResults.Created($"/api/v1/scenario-sets/{id}/versions/{version.Number}", ToResource(id, version));
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> DownloadVersionAsync(string id, int number, HttpContext http, [AsParameters] ApiServices services, CancellationToken ct)
    {
        if (!ResourceKey.IsValidId(id) || await Grain(services, http, id).GetAsync() is not { } info) return ApiProblems.NotFound("scenario set", id);
        var version = info.Versions.FirstOrDefault(v => v.Number == number);
        if (version is null) return ApiProblems.NotFound("version", $"{id}/v{number}");
        var stream = await services.Artifacts.OpenReadAsync(version.BlobPath, ct);
        return TypedResults.Stream(stream, "application/x-ndjson", $"{id}-v{number}.jsonl",
            entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{version.Sha256}\""));
    }

    private static IScenarioSetGrain Grain(ApiServices services, HttpContext http, string id) =>
        services.Grains.GetGrain<IScenarioSetGrain>(ResourceKey.For(http.User.TenantOf(), id));

    private static ScenarioSetResource ToResource(ScenarioSetInfo info) =>
        new(info.Id, info.Name, info.Description, info.CreatedAt, info.UpdatedAt, info.Revision, info.Versions.Select(v => ToResource(info.Id, v)).ToList());

    private static ScenarioSetVersionResource ToResource(string setId, ScenarioSetVersion v) =>
        new(v.Number, v.Sha256, v.ItemCount, v.Bytes, v.CreatedAt, $"/api/v1/scenario-sets/{setId}/versions/{v.Number}");
}
