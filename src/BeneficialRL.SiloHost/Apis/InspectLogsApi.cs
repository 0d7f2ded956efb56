using System.Reflection;
using BeneficialRL.Evals.Interop;
using BeneficialRL.Evals.Scoring;
using BeneficialRL.Contracts.Api;
using BeneficialRL.Contracts.BenchmarkRuns;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.Work;
using BeneficialRL.Grains.BenchmarkRuns;
using BeneficialRL.Primitives.Layout;
using BeneficialRL.SiloHost.Auth;
using BeneficialRL.SiloHost.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BeneficialRL.SiloHost.Apis;

/// <summary>A completed benchmark run as an Inspect <c>.eval</c> log: downloaded, or stored beside the tenant's data.</summary>
public static class InspectLogsApi
{
    private const string ZipType = "application/zip";

    private static readonly string ServiceVersion =
        typeof(InspectLogsApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Maps <c>/api/v1/benchmark-runs/{id}/inspect-log</c>.</summary>
    public static IEndpointRouteBuilder MapInspectLogsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/benchmark-runs").WithTags("Benchmark runs");
        api.MapGet("/{id}/inspect-log", DownloadAsync).WithName("DownloadBenchmarkRunInspectLog")
            .WithSummary("Download a completed run as an Inspect .eval log (opens in inspect view)").RequireAuthorization("read");
        api.MapPost("/{id}/inspect-log", StoreAsync).WithName("StoreBenchmarkRunInspectLog")
            .WithSummary("Write a completed run's Inspect .eval log under the tenant's inspect/ folder, for inspect view --log-dir").RequireAuthorization("write");
        return routes;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadAsync(
        string id, HttpContext http, [AsParameters] ApiServices services, BenchmarkResolver benchmarks, CancellationToken ct)
    {
        var log = await BuildAsync(id, http, services, benchmarks, ct);
        return log.Problem is not null ? log.Problem : TypedResults.File(log.Bytes!, ZipType, log.FileName);
    }

    private static async Task<Results<Created<InspectLogResource>, ProblemHttpResult>> StoreAsync(
        string id, HttpContext http, [AsParameters] ApiServices services, BenchmarkResolver benchmarks, CancellationToken ct)
    {
        var log = await BuildAsync(id, http, services, benchmarks, ct);
        if (log.Problem is not null) return log.Problem;

        // The log is a function of the completed run, so storing it again writes the same bytes (a retry is harmless).
        var relative = TenantBlobLayout.InspectLog(log.FileName!);
        var path = TenantBlobLayout.InTenant(http.User.TenantOf(), relative);
        using var content = new MemoryStream(log.Bytes!, writable: false);
        await services.Artifacts.PutAsync(path, content, ZipType, TenantBlobLayout.WriteModeOf(path), cancellationToken: ct);
        return TypedResults.Created($"/api/v1/benchmark-runs/{id}/inspect-log", new InspectLogResource(log.FileName!, path, path[..(path.Length - log.FileName!.Length)]));
    }

    private static async Task<(byte[]? Bytes, string? FileName, ProblemHttpResult? Problem)> BuildAsync(
        string id, HttpContext http, ApiServices services, BenchmarkResolver benchmarks, CancellationToken ct)
    {
        var tenant = http.User.TenantOf();
        if (!ResourceKey.IsValidId(id) || await services.Grains.GetGrain<IBenchmarkRunGrain>(ResourceKey.For(tenant, id)).GetAsync() is not { } info)
            return (null, null, ApiProblems.NotFound("benchmark run", id));
        if (info.Status != WorkStatus.Completed || info.ItemsPath is null)
            return (null, null, ApiProblems.Conflict($"Benchmark run '{id}' is {info.Status}; its Inspect log exists once it has completed."));
        if (await benchmarks.FindAsync(tenant, info.BenchmarkId, ct) is not { } benchmark)
            return (null, null, ApiProblems.Conflict($"Benchmark '{info.BenchmarkId}' of run '{id}' no longer exists, so its items cannot be written into the log."));
        if (info.Evaluated is { } evaluated && evaluated.ContentHash != benchmark.Definition.ContentHash)
            return (null, null, ApiProblems.Conflict($"Benchmark '{info.BenchmarkId}' changed since run '{id}' evaluated it (content {evaluated.ContentHash}, now {benchmark.Definition.ContentHash}); the log would pair results with the wrong items."));

        IReadOnlyList<BenchmarkItemResult> results;
        await using (var items = await services.Artifacts.OpenReadAsync(info.ItemsPath, ct))
        {
            results = await ItemResultsJsonl.ReadAsync(items, ct);
        }

        var run = new InspectRun(info.Id, $"beneficialrl/{info.CheckpointId}", info.CreatedAt, info.StartedAt ?? info.CreatedAt, info.FinishedAt ?? info.CreatedAt, ServiceVersion);
        using var zip = new MemoryStream();
        InspectEvalLog.Write(zip, run, benchmark, results);
        return (zip.ToArray(), InspectEvalLog.FileName(run, benchmark.Definition), null);
    }
}
