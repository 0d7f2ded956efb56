using BeneficialRL.Benchmarks.Definitions;
using BeneficialRL.Grains.BenchmarkRuns;
using BeneficialRL.SiloHost.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace BeneficialRL.SiloHost.Apis;

/// <summary>The benchmark catalogue: the built-in out-of-distribution suite and the held-out trait suite.</summary>
public static class BenchmarksApi
{
    /// <summary>Maps the routes under <c>/api/v1/benchmarks</c>.</summary>
    public static IEndpointRouteBuilder MapBenchmarksApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/benchmarks").WithTags("Benchmarks").RequireAuthorization("read");
        api.MapGet("/", List).WithName("ListBenchmarks").WithSummary("List benchmark definitions; filter by family, format, trait or domain");
        api.MapGet("/{id}", Get).WithName("GetBenchmark").WithSummary("Get a benchmark's definition and its first items");
        return routes;
    }

    /// <summary>A benchmark with a preview of its items.</summary>
    public sealed record BenchmarkResource(BenchmarkDefinition Definition, IReadOnlyList<BenchmarkItem> SampleItems);

    private static Ok<IReadOnlyList<BenchmarkDefinition>> List(
        [FromQuery] string? family, [FromQuery] string? format, [FromQuery] string? trait, [FromQuery] string? domain, BenchmarkCatalogueProvider catalogue)
    {
        IEnumerable<BenchmarkDefinition> definitions = catalogue.Catalogue.Definitions;
        if (family is not null) definitions = definitions.Where(d => d.Family == family);
        if (format is not null) definitions = definitions.Where(d => System.Text.Json.JsonSerializer.Serialize(d.Format).Trim('"') == format);
        if (trait is not null) definitions = definitions.Where(d => d.Traits.Contains(trait));
        if (domain is not null) definitions = definitions.Where(d => d.Domains.Contains(domain));
        return TypedResults.Ok<IReadOnlyList<BenchmarkDefinition>>(definitions.ToList());
    }

    private static Results<Ok<BenchmarkResource>, ProblemHttpResult> Get(string id, BenchmarkCatalogueProvider catalogue) =>
        catalogue.TryGet(id, out var benchmark)
            ? TypedResults.Ok(new BenchmarkResource(benchmark.Definition, benchmark.Items.Take(5).ToList()))
            : ApiProblems.NotFound("benchmark", id);
}
