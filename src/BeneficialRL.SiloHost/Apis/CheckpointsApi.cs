using BeneficialRL.Contracts.Api;
using BeneficialRL.Contracts.Catalog;
using BeneficialRL.Contracts.Checkpoints;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Evaluation.Checkpoints;
using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.SiloHost.Auth;
using BeneficialRL.SiloHost.Http;
using BeneficialRL.Primitives.Layout;
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
            .WithSummary("Import a checkpoint: raw safetensors weights, or multipart 'weights' + 'meta' (meta.json) for an evaluable policy; ?name= and optional ?parentId=")
            .DocumentsUpload("application/octet-stream", "multipart/form-data").RequireAuthorization("write");
        api.MapGet("/", ListAsync).WithName("ListCheckpoints").WithSummary("List checkpoints, newest first").RequireAuthorization("read");
        api.MapGet("/{id}", GetAsync).WithName("GetCheckpoint").WithSummary("Get a checkpoint's metadata and lineage").RequireAuthorization("read");
        api.MapGet("/{id}/weights", DownloadWeightsAsync).WithName("DownloadCheckpointWeights").WithSummary("Stream the checkpoint's safetensors weights").RequireAuthorization("read");
        return routes;
    }

    private static async Task<Results<Created<CheckpointResource>, ProblemHttpResult>> ImportAsync(
        [FromQuery] string? name, [FromQuery] string? parentId, HttpContext http, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var tenant = http.User.TenantOf();
        if (TextRules.Name("name", name) is { } invalidName) return invalidName;
        var checkpointName = name!.Trim();
        if (parentId is not null && (!ResourceKey.IsValidId(parentId) || await services.Grains.GetGrain<ICheckpointGrain>(ResourceKey.For(tenant, parentId)).GetAsync() is null))
            return ApiProblems.InvalidField("parentId", $"There is no checkpoint '{parentId}' to be the parent.");

        if (http.Request.HasFormContentType) return await ImportWithModelAsync(checkpointName, parentId, tenant, http, services, ct);
        var (spool, tooLarge) = await UploadSpool.ReceiveAsync(http.Request, services.Options.Value.MaxUploadBytes, ct);
        if (tooLarge is not null) return tooLarge;
        await using var upload = spool!;
        if (await ValidateWeightsAsync(upload, "body", ct) is { } invalid) return invalid;

        var id = ResourceKey.NewId("ckpt");
        var path = TenantBlobLayout.InTenant(tenant, TenantBlobLayout.CheckpointWeights(id));
        await using (var content = upload.OpenRead())
        {
            await services.Artifacts.PutAsync(path, content, "application/octet-stream", TenantBlobLayout.WriteModeOf(path), cancellationToken: ct);
        }

        return await RegisterAsync(tenant, id, new CheckpointRegistration
        {
            Name = checkpointName,
            ParentId = parentId,
            WeightsPath = path,
            Sha256 = upload.Sha256,
            Bytes = upload.Length,
            Format = "safetensors",
            Source = "upload",
        }, services);
    }

    /// <summary>
    /// multipart/form-data with <c>weights</c> (safetensors) and <c>meta</c> (the learning engine's meta.json:
    /// architecture and tokenizer): the pair is loaded as a policy before anything is stored, so an evaluable
    /// checkpoint is known to load.
    /// </summary>
    private static async Task<Results<Created<CheckpointResource>, ProblemHttpResult>> ImportWithModelAsync(
        string name, string? parentId, string tenant, HttpContext http, ApiServices services, CancellationToken ct)
    {
        var (form, unreadable) = await MultipartForm.ReadAsync(http.Request, services.Options.Value.MaxUploadBytes, ct);
        if (unreadable is not null) return unreadable;
        var weightsFile = form!.Files.GetFile("weights");
        var metaFile = form.Files.GetFile("meta");
        if (weightsFile is null) return ApiProblems.InvalidField("weights", "The form needs a 'weights' file (safetensors).");
        if (metaFile is null) return ApiProblems.InvalidField("meta", "The form needs a 'meta' file (meta.json: model config and tokenizer).");
        if (weightsFile.Length + metaFile.Length > services.Options.Value.MaxUploadBytes) return ApiProblems.TooLarge(services.Options.Value.MaxUploadBytes);

        await using var weightsBody = weightsFile.OpenReadStream();
        var (spool, _) = await UploadSpool.ReceiveAsync(weightsBody, long.MaxValue, ct);
        await using var upload = spool!;
        if (await ValidateWeightsAsync(upload, "weights", ct) is { } invalid) return invalid;
        var meta = new byte[metaFile.Length];
        await using (var metaBody = metaFile.OpenReadStream())
        {
            await metaBody.ReadExactlyAsync(meta, ct);
        }

        try
        {
            await using var weights = upload.OpenRead();
            using var loaded = CheckpointEvaluator.Load(weights, new MemoryStream(meta));
        }
        catch (InvalidDataException e)
        {
            return ApiProblems.InvalidField("meta", e.Message);
        }

        var id = ResourceKey.NewId("ckpt");
        var weightsPath = TenantBlobLayout.InTenant(tenant, TenantBlobLayout.CheckpointWeights(id));
        var metaPath = TenantBlobLayout.InTenant(tenant, TenantBlobLayout.CheckpointMetadata(id));
        await using (var content = upload.OpenRead())
        {
            await services.Artifacts.PutAsync(weightsPath, content, "application/octet-stream", TenantBlobLayout.WriteModeOf(weightsPath), cancellationToken: ct);
        }

        await services.Artifacts.PutAsync(metaPath, new MemoryStream(meta), "application/json", TenantBlobLayout.WriteModeOf(metaPath), cancellationToken: ct);
        return await RegisterAsync(tenant, id, new CheckpointRegistration
        {
            Name = name,
            ParentId = parentId,
            WeightsPath = weightsPath,
            ModelMetadataPath = metaPath,
            Sha256 = upload.Sha256,
            Bytes = upload.Length,
            Format = "safetensors",
            Source = "upload",
        }, services);
    }

    private static async Task<ProblemHttpResult?> ValidateWeightsAsync(UploadSpool upload, string field, CancellationToken ct)
    {
        await using var content = upload.OpenRead();
        try
        {
            await Safetensors.ReadHeaderAsync(content, upload.Length, ct);
            return null;
        }
        catch (InvalidDataException e)
        {
            return ApiProblems.InvalidField(field, e.Message);
        }
    }

    private static async Task<Results<Created<CheckpointResource>, ProblemHttpResult>> RegisterAsync(string tenant, string id, CheckpointRegistration registration, ApiServices services)
    {
        var info = await services.Grains.GetGrain<ICheckpointGrain>(ResourceKey.For(tenant, id)).RegisterAsync(registration);
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
        info.Details.ExperimentId, info.Details.Step, info.Details.Metadata, info.CreatedAt, $"/api/v1/checkpoints/{info.Id}/weights",
        info.Details.ModelMetadataPath is not null);
}
