using System.Globalization;
using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Compute;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;
using BeneficialRL.Grains.Experiments;
using BeneficialRL.Primitives.Layout;
using BeneficialRL.SiloHost.Auth;
using BeneficialRL.SiloHost.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace BeneficialRL.SiloHost.Apis;

/// <summary>
/// What the policy said during training: the sampled GRPO groups a run recorded (a few prompts at its first step,
/// every checkpoint interval and its last step; see <see cref="SampledGroups"/>), searchable and paged here.
/// </summary>
public static class ExperimentSamplesApi
{
    /// <summary>Maps <c>GET /api/v1/experiments/{id}/runs/{run}/samples</c>.</summary>
    public static IEndpointRouteBuilder MapExperimentSamplesApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/experiments/{id}/runs/{run}/samples", ListAsync).WithTags("Experiments").WithName("ListRunSamples")
            .WithSummary("A training run's recorded sampled groups (prompt, completions, rewards, advantages, rubric verdicts); filter by step, search, paged")
            .RequireAuthorization("read");
        return routes;
    }

    /// <summary>A page of sampled groups.</summary>
    /// <param name="Run">The run (<c>{arm}-s{seed}</c>).</param>
    /// <param name="RecordedSteps">Every step of the run with recorded groups so far.</param>
    /// <param name="Total">Groups matching the query.</param>
    /// <param name="Items">This page, by step then recording order.</param>
    /// <param name="ContinuationToken">The next page's token, or null on the last page.</param>
    public sealed record SampledGroupsPage(string Run, IReadOnlyList<long> RecordedSteps, int Total, IReadOnlyList<SampledGroup> Items, string? ContinuationToken);

    private static async Task<Results<JsonHttpResult<SampledGroupsPage>, ProblemHttpResult>> ListAsync(
        string id, string run, [FromQuery] long? step, [FromQuery] string? q, [AsParameters] PageQuery page, HttpContext http, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var (limit, limitError) = page.Validate();
        if (limitError is not null) return ApiProblems.InvalidField("limit", limitError);
        var offset = 0;
        if (page.ContinuationToken is { } token && (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset < 0))
            return ApiProblems.InvalidField("continuationToken", "continuationToken must be one this listing returned.");
        if (step is < 0) return ApiProblems.InvalidField("step", "step is a 0-based RL step.");
        if (q is { Length: > 200 }) return ApiProblems.InvalidField("q", "q is at most 200 characters.");

        var tenant = http.User.TenantOf();
        var (found, problem) = await ExperimentLookup.FindRunAsync(services.Grains, tenant, id, run);
        if (problem is not null) return problem;
        var (definition, arm, seed) = found!;

        var sink = new BlobArtifactSink(services.Artifacts, tenant);
        var recorded = new List<long>();
        var groups = new List<SampledGroup>();
        foreach (var s in SampledGroups.RecordedSteps(ComputeMatching.EffectiveBudget(definition, arm).Steps, definition.Budget.CheckpointEvery))
        {
            if (await sink.ReadJsonAsync<SampledGroupsRecord>(TenantBlobLayout.RunSamples(id, arm.Name, seed, s), ct) is not { } record) continue;
            recorded.Add(s);
            if (step is null || step == s) groups.AddRange(record.Groups);
        }

        IEnumerable<SampledGroup> selected = groups;
        if (!string.IsNullOrWhiteSpace(q))
        {
            var text = q.Trim();
            selected = selected.Where(g => g.PromptId.Contains(text, StringComparison.OrdinalIgnoreCase)
                || g.Prompt.Any(t => t.Content.Contains(text, StringComparison.OrdinalIgnoreCase))
                || g.Completions.Any(c => c.Text.Contains(text, StringComparison.OrdinalIgnoreCase)));
        }

        var matching = selected.ToList();
        var next = offset + limit < matching.Count ? (offset + limit).ToString(CultureInfo.InvariantCulture) : null;
        // The experiment engine's JSON options: a reward that failed to score is NaN, which they write as "NaN".
        return TypedResults.Json(new SampledGroupsPage(run, recorded, matching.Count, [.. matching.Skip(offset).Take(limit)], next), ExperimentJson.Options);
    }
}
