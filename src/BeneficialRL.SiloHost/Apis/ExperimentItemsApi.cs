using System.Globalization;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Experiments.Compute;
using BeneficialRL.Experiments.Evaluation;
using BeneficialRL.Experiments.Reports;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Grains.BenchmarkRuns;
using BeneficialRL.Grains.Experiments;
using BeneficialRL.Primitives.Layout;
using BeneficialRL.SiloHost.Auth;
using BeneficialRL.SiloHost.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace BeneficialRL.SiloHost.Apis;

/// <summary>
/// The paired per-item drill-down of an experiment: both arms' final evaluations matched item by item (same items,
/// same seeds, by construction), sorted by the difference, with what each arm × seed answered and how it was graded.
/// Read from the final evaluations the training runs stored, so it works as soon as they exist, before the report.
/// </summary>
public static class ExperimentItemsApi
{
    /// <summary>Maps the routes under <c>/api/v1/experiments/{id}/paired</c>.</summary>
    public static IEndpointRouteBuilder MapExperimentItemsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/experiments/{id}/paired").WithTags("Experiments");
        api.MapGet("/", BenchmarksAsync).WithName("ListPairedBenchmarks")
            .WithSummary("Benchmarks both arms were evaluated on, with the mean item difference (arm − baseline)").RequireAuthorization("read");
        api.MapGet("/{benchmark}/items", ItemsAsync).WithName("ListPairedItems")
            .WithSummary("A benchmark's items scored by both arms, sorted by the difference, with every arm × seed result; paged").RequireAuthorization("read");
        return routes;
    }

    /// <summary>The paired benchmarks of an experiment.</summary>
    /// <param name="Baseline">The baseline arm.</param>
    /// <param name="Arm">The compared arm.</param>
    /// <param name="Arms">Every arm that can be compared (<c>?arm=</c>).</param>
    /// <param name="Seeds">The seeds whose evaluations were found per arm.</param>
    /// <param name="Benchmarks">Each benchmark with its item count and mean difference.</param>
    public sealed record PairedBenchmarksResource(string Baseline, string Arm, IReadOnlyList<string> Arms, IReadOnlyDictionary<string, IReadOnlyList<long>> Seeds, IReadOnlyList<PairedBenchmark> Benchmarks);

    /// <summary>A paired item with the benchmark item it scored (null when the benchmark is not in the catalogue, e.g. held-out scenarios).</summary>
    public sealed record PairedItemResource(PairedItem Paired, BenchmarkItem? Item);

    /// <summary>A page of paired items.</summary>
    /// <param name="Total">Items matching the query.</param>
    /// <param name="Items">This page.</param>
    /// <param name="ContinuationToken">The next page's token, or null on the last page.</param>
    public sealed record PairedItemsPage(int Total, IReadOnlyList<PairedItemResource> Items, string? ContinuationToken);

    private static async Task<Results<JsonHttpResult<PairedBenchmarksResource>, ProblemHttpResult>> BenchmarksAsync(
        string id, [FromQuery] string? arm, HttpContext http, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var (loaded, problem) = await LoadAsync(id, arm, http, services, ct);
        if (problem is not null) return problem;
        var (definition, baseline, compared, evaluations) = loaded!.Value;
        var seeds = evaluations.GroupBy(e => e.Arm, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<long>)[.. g.Select(e => e.Seed).Order()], StringComparer.Ordinal);
        return TypedResults.Json(new PairedBenchmarksResource(baseline, compared,
            [.. definition.Arms.Where(a => a.Role != ArmRole.Baseline).Select(a => a.Name)], seeds, PairedItems.Benchmarks(evaluations, baseline, compared)), ExperimentJson.Options);
    }

    private static async Task<Results<JsonHttpResult<PairedItemsPage>, ProblemHttpResult>> ItemsAsync(
        string id, string benchmark, [FromQuery] string? arm, [FromQuery] string? order, [FromQuery] string? q, [AsParameters] PageQuery page,
        HttpContext http, [AsParameters] ApiServices services, BenchmarkResolver benchmarks, CancellationToken ct)
    {
        var (limit, limitError) = page.Validate();
        if (limitError is not null) return ApiProblems.InvalidField("limit", limitError);
        var offset = 0;
        if (page.ContinuationToken is { } token && (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset < 0))
            return ApiProblems.InvalidField("continuationToken", "continuationToken must be one this listing returned.");
        if (order is not null and not "desc" and not "asc") return ApiProblems.InvalidField("order", "order must be 'desc' (largest gain first) or 'asc' (largest loss first).");
        if (q is { Length: > 200 }) return ApiProblems.InvalidField("q", "q is at most 200 characters.");
        if (!ResourceKey.IsValidId(benchmark)) return ApiProblems.NotFound("benchmark", benchmark);

        var (loaded, problem) = await LoadAsync(id, arm, http, services, ct);
        if (problem is not null) return problem;
        var (_, baseline, compared, evaluations) = loaded!.Value;
        var paired = PairedItems.Pair(evaluations, baseline, compared, benchmark);
        if (paired.Count == 0) return ApiProblems.NotFound("paired benchmark", benchmark);

        var catalogue = await benchmarks.FindAsync(http.User.TenantOf(), benchmark, ct);
        var items = catalogue?.Items.ToDictionary(i => i.Id, StringComparer.Ordinal) ?? [];
        IEnumerable<PairedItem> selected = order == "asc" ? paired.Reverse() : paired;
        if (!string.IsNullOrWhiteSpace(q))
            selected = selected.Where(p => Matches(p, items.GetValueOrDefault(p.ItemId), q.Trim()));
        var matching = selected.ToList();
        var pageItems = matching.Skip(offset).Take(limit).Select(p => new PairedItemResource(p, items.GetValueOrDefault(p.ItemId))).ToList();
        var next = offset + limit < matching.Count ? (offset + limit).ToString(CultureInfo.InvariantCulture) : null;
        // The experiment engine's JSON options, as in the stored evaluations: a score that could not be computed is "NaN".
        return TypedResults.Json(new PairedItemsPage(matching.Count, pageItems, next), ExperimentJson.Options);
    }

    /// <summary>Search in the item id, its prompt and options, and every sampled answer.</summary>
    private static bool Matches(PairedItem paired, BenchmarkItem? item, string q) =>
        paired.ItemId.Contains(q, StringComparison.OrdinalIgnoreCase)
        || (item is not null && (item.Prompt.AllText.Contains(q, StringComparison.OrdinalIgnoreCase) || item.Options.Any(o => o.Text.Contains(q, StringComparison.OrdinalIgnoreCase))))
        || paired.Runs.Any(r => r.Result.Samples.Any(s => s.Text.Contains(q, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The experiment's definition, the two arms compared and every final evaluation stored so far.</summary>
    private static async Task<((ExperimentDefinition Definition, string Baseline, string Arm, IReadOnlyList<CheckpointEvaluation> Evaluations)?, ProblemHttpResult?)> LoadAsync(
        string id, string? arm, HttpContext http, ApiServices services, CancellationToken ct)
    {
        var tenant = http.User.TenantOf();
        var (experiment, problem) = await ExperimentLookup.FindAsync(services.Grains, tenant, id);
        if (problem is not null) return (null, problem);
        var (info, found) = experiment!;
        if (found is not { } definition) return (null, ApiProblems.Conflict($"Experiment '{id}' is a record without a definition; nothing was evaluated."));
        var baseline = definition.Arms.Single(a => a.Role == ArmRole.Baseline).Name;
        var compared = arm ?? definition.Arms.First(a => a.Role != ArmRole.Baseline).Name;
        if (compared == baseline || definition.Arms.All(a => a.Name != compared))
            return (null, ApiProblems.InvalidField("arm", $"arm must name a compared arm: {string.Join(", ", definition.Arms.Where(a => a.Role != ArmRole.Baseline).Select(a => a.Name))}."));

        var sink = new BlobArtifactSink(services.Artifacts, tenant);
        var evaluations = new List<CheckpointEvaluation>();
        foreach (var spec in definition.Arms.Where(a => a.Name == baseline || a.Name == compared))
        {
            var steps = ComputeMatching.EffectiveBudget(definition, spec).Steps;
            foreach (var seed in definition.Seeds)
            {
                if (await Experiments.Artifacts.ArtifactSinkExtensions.ReadJsonAsync<CheckpointEvaluation>(sink, TenantBlobLayout.RunEvaluation(id, spec.Name, seed, steps), ct) is { } evaluation)
                    evaluations.Add(evaluation);
            }
        }

        if (!evaluations.Any(e => e.Arm == baseline) || !evaluations.Any(e => e.Arm == compared))
            return (null, ApiProblems.Conflict($"Experiment '{id}' is {info.Status.ToString().ToLowerInvariant()} and has no final evaluation of both arms yet; items pair once the evaluation stage stored them."));
        return ((definition, baseline, compared, evaluations), null);
    }
}
