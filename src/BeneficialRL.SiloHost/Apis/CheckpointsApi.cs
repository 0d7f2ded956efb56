using BeneficialRL.Contracts.Catalog;
using BeneficialRL.Contracts.Checkpoints;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.SiloHost.Auth;
using BeneficialRL.SiloHost.Checkpoints;
using BeneficialRL.SiloHost.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace BeneficialRL.SiloHost.Apis;

/// <summary>Checkpoints: import safetensors weights, list, get, stream weights.</summary>
public static class CheckpointsApi
{
    /// <summary>Maps the routes under <c>/api/v1/checkpoints</c>.</summary>
    public static IEndpointRouteBuilder MapCheckpointsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/checkpoints").WithTags("Checkpoints");
        api.MapPost("/", ImportAsync).WithName("ImportCheckpoint")
            .WithSummary("Import safetensors weights (the body) as a checkpoint; ?name= and optional ?parentId= for lineage")
            .Accepts<byte[]>("application/octet-stream").RequireAuthorization("write");
        api.MapGet("/", ListAsync).WithName("ListCheckpoints").WithSummary("List checkpoints, newest first").RequireAuthorization("read");
        api.MapGet("/{id}", GetAsync).WithName("GetCheckpoint").WithSummary("Get a checkpoint's metadata and lineage").RequireAuthorization("read");
        api.MapGet("/{id}/weights", DownloadWeightsAsync).WithName("DownloadCheckpointWeights").WithSummary("Stream the checkpoint's safetensors weights").RequireAuthorization("read");
        return routes;
    }

    /// <summary>A checkpoint as the API shows it.</summary>
    public sealed record CheckpointResource(
        string Id, string Name, string? ParentId, string Sha256, long Bytes, string Format, string Source,
        string? ExperimentId, long? Step, IReadOnlyDictionary<string, string> Metadata, DateTimeOffset CreatedAt, string Weights);

    private static async Task<Results<Created<CheckpointResource>, ProblemHttpResult>> ImportAsync(
        [FromQuery] string? name, [FromQuery] string? parentId, HttpContext http, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var tenant = http.User.TenantOf();
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200) return ApiProblems.InvalidField("name", "The query parameter name is required (at most 200 characters).");
        if (parentId is not null && (!ResourceKey.IsValidId(parentId) || await services.Grains.GetGrain<ICheckpointGrain>(ResourceKey.For(tenant, parentId)).GetAsync() is null))
            return ApiProblems.InvalidField("parentId", $"There is no checkpoint '{parentId}' to be the parent.");

        var (spool, tooLarge) = await UploadSpool.ReceiveAsync(http.Request, services.Options.Value.MaxUploadBytes, ct);
        if (tooLarge is not null) return tooLarge;
        await using var upload = spool!;
        await using (var content = upload.OpenRead())
        {
            try
            {
                await SafetensorsHeader.ValidateAsync(content, upload.Length, ct);
            }
            catch (InvalidDataException e)
            {
                return ApiProblems.InvalidField("body", e.Message);
            }
        }

        var id = ResourceKey.NewId("ckpt");
        var path = TenantPaths.CheckpointWeights(tenant, id);
        await using (var content = upload.OpenRead())
        {
            await services.Artifacts.PutAsync(path, content, "application/octet-stream", cancellationToken: ct);
        }

        var info = await services.Grains.GetGrain<ICheckpointGrain>(ResourceKey.For(tenant, id)).RegisterAsync(new CheckpointRegistration
        {
            Name = name.Trim(),
            ParentId = parentId,
            WeightsPath = path,
            Sha256 = upload.Sha256,
            Bytes = upload.Length,
            Format = "safetensors",
            Source = "upload",
        });
        return TypedResults.Created($"/api/v1/checkpoints/{id}", ToResource(info));
    }

    private static async Task<Results<Ok<Page<CheckpointResource>>, ProblemHttpResult>> ListAsync(HttpContext http, [AsParameters] PageQuery query, [AsParameters] ApiServices services)
    {
        var (limit, error) = query.Validate();
        if (error is not null) return ApiProblems.InvalidField("limit", error);
        var tenant = http.User.TenantOf();
        var page = await Listing.PageAsync(services.Grains, tenant, ResourceKinds.Checkpoints, query.ContinuationToken, limit,
            id => services.Grains.GetGrain<ICheckpointGrain>(ResourceKey.For(tenant, id)).GetAsync());
        return page.Problem is not null ? page.Problem : TypedResults.Ok(new Page<CheckpointResource>(page.Items.Select(ToResource).ToList(), page.ContinuationToken));
    }

    private static async Task<Results<Ok<CheckpointResource>, ProblemHttpResult>> GetAsync(string id, HttpContext http, [AsParameters] ApiServices services)
    {
        var info = await FindAsync(id, http, services);
        if (info is null) return ApiProblems.NotFound("checkpoint", id);
        http.Response.Headers.ETag = $"\"{info.Details.Sha256}\"";
        return TypedResults.Ok(ToResource(info));
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> DownloadWeightsAsync(string id, HttpContext http, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var info = await FindAsync(id, http, services);
        if (info is null) return ApiProblems.NotFound("checkpoint", id);
        var stream = await services.Artifacts.OpenReadAsync(info.Details.WeightsPath, ct);
        return TypedResults.Stream(stream, "application/octet-stream", $"{id}.safetensors",
            entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{info.Details.Sha256}\""));
    }

    private static async Task<CheckpointInfo?> FindAsync(string id, HttpContext http, ApiServices services) =>
        ResourceKey.IsValidId(id) ? await services.Grains.GetGrain<ICheckpointGrain>(ResourceKey.For(http.User.TenantOf(), id)).GetAsync() : null;

    private static CheckpointResource ToResource(CheckpointInfo info) => new(
        info.Id, info.Details.Name, info.Details.ParentId, info.Details.Sha256, info.Details.Bytes, info.Details.Format, info.Details.Source,
        info.Details.ExperimentId, info.Details.Step, info.Details.Metadata, info.CreatedAt, $"/api/v1/checkpoints/{info.Id}/weights");
}
