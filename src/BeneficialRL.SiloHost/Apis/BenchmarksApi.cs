using System.Text.Json;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.Importers;
using BeneficialRL.Contracts.BenchmarkRuns;
using BeneficialRL.Contracts.Catalog;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Grains.BenchmarkRuns;
using BeneficialRL.SiloHost.Auth;
using BeneficialRL.SiloHost.Http;
using BeneficialRL.Primitives.Layout;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace BeneficialRL.SiloHost.Apis;

/// <summary>
/// The benchmark catalogue: the built-in out-of-distribution suite, the held-out trait suite, and the
/// benchmarks a tenant imported from its own files.
/// </summary>
public static class BenchmarksApi
{
    /// <summary>The importers an upload can name.</summary>
    public static readonly IReadOnlyList<string> Importers = ["anthropic-evals", "anthropic-sycophancy", "truthfulqa-csv", "truthfulqa-mc1", "truthfulqa-mc2", "bbq", "winogenerated", "mapping", AutoJsonlImporter.ImporterName];

    // The importers whose files may leave the aligned answer out, so the request can say where it is (or that there is none).
    private static readonly string[] AnswerlessImporters = ["mapping", AutoJsonlImporter.ImporterName];

    /// <summary>Maps the routes under <c>/api/v1/benchmarks</c>.</summary>
    public static IEndpointRouteBuilder MapBenchmarksApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/benchmarks").WithTags("Benchmarks");
        api.MapGet("/", ListAsync).WithName("ListBenchmarks").WithSummary("List built-in and imported benchmark definitions; filter by family, format, trait or domain").RequireAuthorization("read");
        api.MapGet("/{id}", GetAsync).WithName("GetBenchmark").WithSummary("Get a benchmark's definition and its first items").RequireAuthorization("read");
        api.MapPost("/", ImportAsync).WithName("ImportBenchmark")
            .WithSummary($"Import a benchmark file (multipart: file, importer ({string.Join(", ", Importers)}), id, name, family, traits, domain, polarity (matching-is-aligned, not-matching-is-aligned; no-aligned-answer with mapping or auto), mapping, {ImportOptions.AlignedOptionField} (index or letter of the aligned option of every item, mapping or auto))")
            .DocumentsUpload("multipart/form-data").RequireAuthorization("write");
        return routes;
    }

    /// <summary>
    /// A benchmark with a preview of its items: the server's reading of <see cref="Contracts.Api.BenchmarkResource"/> (the client's
    /// record, where definition and items are JSON), typed so the OpenAPI document shows their schemas.
    /// </summary>
    public sealed record TypedBenchmarkResource(BenchmarkDefinition Definition, bool Imported, IReadOnlyList<BenchmarkItem> SampleItems);

    private static async Task<Ok<IReadOnlyList<BenchmarkDefinition>>> ListAsync(
        [FromQuery] string? family, [FromQuery] string? format, [FromQuery] string? trait, [FromQuery] string? domain,
        HttpContext http, BenchmarkResolver benchmarks, IGrainFactory grains, CancellationToken ct)
    {
        var tenant = http.User.TenantOf();
        var definitions = benchmarks.BuiltIn.Definitions.ToList();
        string? token = null;
        do
        {
            var page = await grains.GetGrain<IResourceIndexGrain>($"{tenant}/{ResourceKinds.Benchmarks}").ListAsync(token, 200);
            foreach (var id in page.Ids)
            {
                if (await benchmarks.FindAsync(tenant, id, ct) is { } imported) definitions.Add(imported.Definition);
            }

            token = page.ContinuationToken;
        }
        while (token is not null);

        IEnumerable<BenchmarkDefinition> filtered = definitions;
        if (family is not null) filtered = filtered.Where(d => d.Family == family);
        if (format is not null) filtered = filtered.Where(d => JsonSerializer.Serialize(d.Format).Trim('"') == format);
        if (trait is not null) filtered = filtered.Where(d => d.Traits.Contains(trait));
        if (domain is not null) filtered = filtered.Where(d => d.Domains.Contains(domain));
        return TypedResults.Ok<IReadOnlyList<BenchmarkDefinition>>(filtered.ToList());
    }

    private static async Task<Results<Ok<TypedBenchmarkResource>, ProblemHttpResult>> GetAsync(string id, HttpContext http, BenchmarkResolver benchmarks, CancellationToken ct) =>
        await benchmarks.FindAsync(http.User.TenantOf(), id, ct) is { } benchmark
            ? TypedResults.Ok(new TypedBenchmarkResource(benchmark.Definition, !benchmarks.BuiltIn.TryGet(id, out _), benchmark.Items.Take(5).ToList()))
            : ApiProblems.NotFound("benchmark", id);

    private static async Task<Results<Created<TypedBenchmarkResource>, ProblemHttpResult>> ImportAsync(
        HttpContext http, [AsParameters] ApiServices services, BenchmarkResolver benchmarks, CancellationToken ct)
    {
        var tenant = http.User.TenantOf();
        var (form, unreadable) = await MultipartForm.ReadAsync(http.Request, services.Options.Value.MaxUploadBytes, ct);
        if (unreadable is not null) return unreadable;
        var file = form!.Files.GetFile("file");
        if (file is null || file.Length == 0) return ApiProblems.InvalidField("file", "The form needs a non-empty 'file'.");
        if (file.Length > services.Options.Value.MaxUploadBytes) return ApiProblems.TooLarge(services.Options.Value.MaxUploadBytes);
        string Field(string name) => form[name].ToString().Trim();
        var importer = Field("importer");
        if (!Importers.Contains(importer)) return ApiProblems.InvalidField("importer", $"importer must be one of {string.Join(", ", Importers)}.");
        var id = Field("id");
        if (!ResourceKey.IsValidId(id)) return ApiProblems.InvalidField("id", "id is required: letters, digits, '.', '_' and '-', at most 64 characters.");
        if (benchmarks.BuiltIn.TryGet(id, out _)) return ApiProblems.InvalidField("id", $"'{id}' is a built-in benchmark's id; choose another.");
        var name = Field("name");
        if (TextRules.Name("name", name) is { } invalidName) return invalidName;
        var family = Field("family");
        if (family.Length == 0) return ApiProblems.InvalidField("family", "family is required (e.g. sycophancy, power-seeking, or your own).");
        if (TextRules.Name("family", family, 100) is { } invalidFamily) return invalidFamily;
        var traits = Field("traits").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (traits.Select(t => TextRules.Name("traits", t, 100)).FirstOrDefault(p => p is not null) is { } invalidTrait) return invalidTrait;
        var domain = Field("domain") is { Length: > 0 } d ? d : "general";
        if (TextRules.Name("domain", domain, 100) is { } invalidDomain) return invalidDomain;
        BenchmarkPolarity? polarity = null;
        if (Field("polarity") is { Length: > 0 } polarityText)
        {
            try
            {
                polarity = JsonSerializer.Deserialize<BenchmarkPolarity>($"\"{polarityText}\"");
            }
            catch (JsonException)
            {
                return ApiProblems.InvalidField("polarity", $"Unknown polarity '{polarityText}'; use matching-is-aligned or not-matching-is-aligned (anthropic-evals) or no-aligned-answer (mapping, auto).");
            }
        }

        int? alignedOption = null;
        if (Field(ImportOptions.AlignedOptionField) is { Length: > 0 } alignedText)
        {
            if (!AnswerlessImporters.Contains(importer))
                return ApiProblems.InvalidField(ImportOptions.AlignedOptionField, $"{ImportOptions.AlignedOptionField} applies to the {string.Join(" and ", AnswerlessImporters)} importers only; '{importer}' reads the aligned answer from the file.");
            alignedOption = OptionLabels.FromIndexOrLetter(alignedText);
            if (alignedOption is null)
                return ApiProblems.InvalidField(ImportOptions.AlignedOptionField, $"'{alignedText}' is not an option index (0, 1, ...) or letter (A, B, ...).");
        }

        // Checked before the file is read: the importers would only say so with an exception.
        if (importer == "anthropic-evals" && polarity is null && AnthropicEvalsImporter.KnownPolarity(file.FileName) is null)
        {
            return ApiProblems.InvalidField("polarity",
                $"'{file.FileName}' is not an Anthropic evals file this importer knows; give 'polarity' (matching-is-aligned or not-matching-is-aligned).");
        }

        MappingSpec? mapping = null;
        if (importer == "mapping")
        {
            if (Field("mapping") is not { Length: > 0 } mappingText) return ApiProblems.InvalidField("mapping", "The mapping importer needs a 'mapping' field (a JSON column-mapping spec).");
            try
            {
                mapping = MappingImporter.ParseSpec(mappingText);
            }
            catch (ArgumentException e) when (e.InnerException is JsonException json)
            {
                var (at, why) = JsonBody.Describe(json);
                return ApiProblems.InvalidField("mapping", $"The mapping spec is not valid at {at}: {why}");
            }
            catch (ArgumentException e)
            {
                return ApiProblems.InvalidField("mapping", ApiProblems.MessageOf(e));
            }
        }

        var bytes = new byte[file.Length];
        await using (var body = file.OpenReadStream())
        {
            await body.ReadExactlyAsync(bytes, ct);
        }

        var options = new ImportOptions(id, name, family, traits, domain) { AlignedOption = alignedOption };
        Benchmark benchmark;
        try
        {
            benchmark = importer switch
            {
                "anthropic-evals" => AnthropicEvalsImporter.Import(bytes, file.FileName, options, polarity),
                "anthropic-sycophancy" => AnthropicEvalsImporter.ImportSycophancy(bytes, file.FileName, options),
                "truthfulqa-csv" => TruthfulQaImporter.ImportCsv(bytes, file.FileName, options),
                "truthfulqa-mc1" => TruthfulQaImporter.ImportMcTask(bytes, file.FileName, options, mc2: false),
                "truthfulqa-mc2" => TruthfulQaImporter.ImportMcTask(bytes, file.FileName, options, mc2: true),
                "bbq" => BbqImporter.Import(bytes, file.FileName, options),
                "winogenerated" => WinogeneratedImporter.Import(bytes, file.FileName, options),
                AutoJsonlImporter.ImporterName => AutoJsonlImporter.Import(bytes, file.FileName, options, polarity),
                _ => MappingImporter.Import(bytes, file.FileName, mapping!, options, polarity),
            };
        }
        catch (BenchmarkImportException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid benchmark file: nothing was imported",
                extensions: new Dictionary<string, object?> { ["line"] = e.Line, ["field"] = string.IsNullOrEmpty(e.Field) ? "file" : e.Field });
        }
        catch (OpenAiGraderMappingException e)
        {
            // The mapping's OpenAI grader: the field is its JSON path inside the form's 'mapping' (mapping.openaiGrader.…).
            return ApiProblems.InvalidField("mapping" + e.Path[1..], ApiProblems.MessageOf(e));
        }
        catch (ArgumentException e) when (e.ParamName is "polarity" or ImportOptions.AlignedOptionField or "spec" or "fileFormat" or "kind")
        {
            // The importers reject a setting (not a line of the file) this way: an unknown grader, format or aligned kind, a polarity
            // or aligned option they cannot use; the form fields polarity and alignedOption keep their names, the rest is the mapping's.
            return ApiProblems.InvalidField(e.ParamName is "polarity" or ImportOptions.AlignedOptionField ? e.ParamName : "mapping", ApiProblems.MessageOf(e));
        }

        var path = TenantBlobLayout.InTenant(tenant, TenantBlobLayout.BenchmarkDefinition(id, benchmark.Definition.ContentHash));
        await services.Artifacts.PutAsync(path, new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(benchmark, BenchmarkResolver.StorageOptions)), "application/json", TenantBlobLayout.WriteModeOf(path), cancellationToken: ct);
        await services.Grains.GetGrain<IImportedBenchmarkGrain>(ResourceKey.For(tenant, id)).RegisterAsync(new ImportedBenchmarkInfo
        {
            Id = id,
            BlobPath = path,
            ContentHash = benchmark.Definition.ContentHash,
            ItemCount = benchmark.Items.Count,
            CreatedAt = DateTimeOffset.UtcNow,
        });
        return TypedResults.Created($"/api/v1/benchmarks/{id}", new TypedBenchmarkResource(benchmark.Definition, true, benchmark.Items.Take(5).ToList()));
    }
}
