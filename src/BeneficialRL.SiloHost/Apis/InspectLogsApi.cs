using System.Reflection;
using BeneficialRL.Evals.Interop;
using BeneficialRL.Evals.Scoring;
using BeneficialRL.Contracts.Api;
using BeneficialRL.Contracts.BenchmarkRuns;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.Work;
using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Compute;
using BeneficialRL.Experiments.Evaluation;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Grains.BenchmarkRuns;
using BeneficialRL.Grains.Experiments;
using BeneficialRL.Primitives.Layout;
using BeneficialRL.SiloHost.Auth;
using BeneficialRL.SiloHost.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BeneficialRL.SiloHost.Apis;

/// <summary>
/// Benchmark results as Inspect <c>.eval</c> logs, downloaded or stored beside the tenant's data: a completed benchmark
/// run, or one benchmark of an experiment run's final evaluation (the log Inspect would write for that task on that
/// checkpoint).
/// </summary>
public static class InspectLogsApi
{
    private const string ZipType = "application/zip";

    private static readonly string ServiceVersion =
        typeof(InspectLogsApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>
    /// Maps <c>/api/v1/benchmark-runs/{id}/inspect-log</c> and
    /// <c>/api/v1/experiments/{id}/runs/{run}/benchmarks/{benchmark}/inspect-log</c> (GET downloads, POST stores).
    /// </summary>
    public static IEndpointRouteBuilder MapInspectLogsApi(this IEndpointRouteBuilder routes)
    {
        var runs = routes.MapGroup("/api/v1/benchmark-runs").WithTags("Benchmark runs");
        runs.MapGet("/{id}/inspect-log", (string id, HttpContext http, [AsParameters] ApiServices services, BenchmarkResolver benchmarks, CancellationToken ct) =>
                DownloadAsync(BuildForRunAsync(id, http, services, benchmarks, ct)))
            .WithName("DownloadBenchmarkRunInspectLog")
            .WithSummary("Download a completed run as an Inspect .eval log (opens in inspect view)").RequireAuthorization("read");
        runs.MapPost("/{id}/inspect-log", (string id, HttpContext http, [AsParameters] ApiServices services, BenchmarkResolver benchmarks, CancellationToken ct) =>
                StoreAsync(BuildForRunAsync(id, http, services, benchmarks, ct), $"/api/v1/benchmark-runs/{id}/inspect-log", http, services, ct))
            .WithName("StoreBenchmarkRunInspectLog")
            .WithSummary("Write a completed run's Inspect .eval log under the tenant's inspect/ folder, for inspect view --log-dir").RequireAuthorization("write");

        var experiments = routes.MapGroup("/api/v1/experiments").WithTags("Experiments");
        experiments.MapGet("/{id}/runs/{run}/benchmarks/{benchmark}/inspect-log", (string id, string run, string benchmark, HttpContext http, [AsParameters] ApiServices services, CancellationToken ct) =>
                DownloadAsync(BuildForExperimentAsync(id, run, benchmark, http, services, ct)))
            .WithName("DownloadExperimentEvaluationInspectLog")
            .WithSummary("Download one benchmark of a training run's final evaluation as an Inspect .eval log").RequireAuthorization("read");
        experiments.MapPost("/{id}/runs/{run}/benchmarks/{benchmark}/inspect-log", (string id, string run, string benchmark, HttpContext http, [AsParameters] ApiServices services, CancellationToken ct) =>
                StoreAsync(BuildForExperimentAsync(id, run, benchmark, http, services, ct), $"/api/v1/experiments/{id}/runs/{run}/benchmarks/{benchmark}/inspect-log", http, services, ct))
            .WithName("StoreExperimentEvaluationInspectLog")
            .WithSummary("Write one benchmark of a run's final evaluation as an Inspect .eval log under the tenant's inspect/ folder").RequireAuthorization("write");
        return routes;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadAsync(Task<(byte[]? Bytes, string? FileName, ProblemHttpResult? Problem)> building)
    {
        var log = await building;
        return log.Problem is not null ? log.Problem : TypedResults.File(log.Bytes!, ZipType, log.FileName);
    }

    private static async Task<Results<Created<InspectLogResource>, ProblemHttpResult>> StoreAsync(
        Task<(byte[]? Bytes, string? FileName, ProblemHttpResult? Problem)> building, string location, HttpContext http, ApiServices services, CancellationToken ct)
    {
        var log = await building;
        if (log.Problem is not null) return log.Problem;

        // The log is a function of completed results, so storing it again writes the same bytes (a retry is harmless).
        var relative = TenantBlobLayout.InspectLog(log.FileName!);
        var path = TenantBlobLayout.InTenant(http.User.TenantOf(), relative);
        using var content = new MemoryStream(log.Bytes!, writable: false);
        await services.Artifacts.PutAsync(path, content, ZipType, TenantBlobLayout.WriteModeOf(path), cancellationToken: ct);
        return TypedResults.Created(location, new InspectLogResource(log.FileName!, path, path[..(path.Length - log.FileName!.Length)]));
    }

    /// <summary>
    /// One benchmark of run <paramref name="run"/>'s final evaluation: its items are the evaluation suite's (the
    /// definition builds the same suite the evaluation job ran), its model the run's final checkpoint resource.
    /// </summary>
    private static async Task<(byte[]? Bytes, string? FileName, ProblemHttpResult? Problem)> BuildForExperimentAsync(
        string id, string run, string benchmarkId, HttpContext http, ApiServices services, CancellationToken ct)
    {
        var tenant = http.User.TenantOf();
        var (found, problem) = await ExperimentLookup.FindRunAsync(services.Grains, tenant, id, run);
        if (problem is not null) return (null, null, problem);
        var (definition, arm, seed) = found!;
        var step = ComputeMatching.EffectiveBudget(definition, arm).Steps;
        var sink = new BlobArtifactSink(services.Artifacts, tenant);
        if (await sink.ReadJsonAsync<CheckpointEvaluation>(TenantBlobLayout.RunEvaluation(id, arm.Name, seed, step), ct) is not { } evaluation)
            return (null, null, ApiProblems.Conflict($"Run '{run}' of experiment '{id}' has no final evaluation yet; its Inspect logs exist once the evaluation stage stored it."));
        if (evaluation.Benchmarks.FirstOrDefault(b => b.BenchmarkId == benchmarkId) is not { } evaluated)
            return (null, null, ApiProblems.NotFound("benchmark of this evaluation", benchmarkId));
        if (EvaluationSuite.Build(definition.Evaluation).All.FirstOrDefault(b => b.Definition.Id == benchmarkId) is not { } benchmark)
            return (null, null, ApiProblems.Conflict($"Benchmark '{benchmarkId}' is no longer in the evaluation suite this service builds, so its items cannot be written into the log."));

        var experiment = found.Experiment;
        var stage = experiment.Stages.FirstOrDefault(s => s.Name == StageNames.Evaluation);
        var inspectRun = new InspectRun(
            $"{id}-{run}-{benchmarkId}", $"beneficialrl/{CheckpointIds.Run(id, arm.Name, seed, step)}", experiment.CreatedAt,
            stage?.StartedAt ?? experiment.CreatedAt, stage?.FinishedAt ?? stage?.StartedAt ?? experiment.CreatedAt, ServiceVersion);
        using var zip = new MemoryStream();
        InspectEvalLog.Write(zip, inspectRun, benchmark, evaluated.Items);
        return (zip.ToArray(), InspectEvalLog.FileName(inspectRun, benchmark.Definition), null);
    }

    private static async Task<(byte[]? Bytes, string? FileName, ProblemHttpResult? Problem)> BuildForRunAsync(
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
