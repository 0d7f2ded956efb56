using BeneficialRL.Experiments.Artifacts;
using BeneficialRL.Experiments.Compute;
using BeneficialRL.Experiments.Evaluation;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Grains.Experiments;
using BeneficialRL.Primitives.Layout;
using BeneficialRL.SiloHost.Auth;
using BeneficialRL.SiloHost.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BeneficialRL.SiloHost.Apis;

/// <summary>
/// A training run's held-out trait curve as it grows: the base model's score (step 0) and each saved checkpoint's,
/// read from the curve evaluations the run stores at every checkpoint, so it is there while the run trains (the
/// report's curves exist only once the experiment completed).
/// </summary>
public static class ExperimentCurvesApi
{
    /// <summary>Maps <c>GET /api/v1/experiments/{id}/runs/{run}/held-out</c>.</summary>
    public static IEndpointRouteBuilder MapExperimentCurvesApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/experiments/{id}/runs/{run}/held-out", GetAsync).WithTags("Experiments").WithName("GetRunHeldOutCurve")
            .WithSummary("A training run's held-out trait score at the base model and every checkpoint stored so far").RequireAuthorization("read");
        return routes;
    }

    /// <summary>One point of the curve.</summary>
    /// <param name="Step">RL steps of the checkpoint (0: the base model).</param>
    /// <param name="HeldOutScore">Mean held-out trait item score, 0–1 (NaN when nothing held out was evaluated).</param>
    /// <param name="Traits">Mean item score per held-out trait benchmark.</param>
    public sealed record HeldOutPoint(long Step, double HeldOutScore, IReadOnlyDictionary<string, double> Traits);

    /// <summary>The curve of one run.</summary>
    public sealed record HeldOutCurve(string Run, IReadOnlyList<HeldOutPoint> Points);

    private static async Task<Results<JsonHttpResult<HeldOutCurve>, ProblemHttpResult>> GetAsync(string id, string run, HttpContext http, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var tenant = http.User.TenantOf();
        var (found, problem) = await ExperimentLookup.FindRunAsync(services.Grains, tenant, id, run);
        if (problem is not null) return problem;
        var (definition, arm, seed) = found!;

        var sink = new BlobArtifactSink(services.Artifacts, tenant);
        var every = definition.Budget.CheckpointEvery;
        var last = ComputeMatching.EffectiveBudget(definition, arm).Steps;
        var steps = Enumerable.Range(1, every > 0 ? last / every : 0).Select(k => (long)k * every).ToList();
        if (every <= 0 || last % every != 0) steps.Add(last);
        var points = new List<HeldOutPoint>();
        if (await sink.ReadJsonAsync<CheckpointEvaluation>(TenantBlobLayout.ExperimentBaseCurve(id), ct) is { } baseline) points.Add(Point(baseline with { Step = 0 }));
        foreach (var step in steps)
        {
            if (await sink.ReadJsonAsync<CheckpointEvaluation>(TenantBlobLayout.RunCurve(id, arm.Name, seed, step), ct) is { } point) points.Add(Point(point));
        }

        // The experiment engine's JSON options: a score that was not evaluated is "NaN".
        return TypedResults.Json(new HeldOutCurve(run, points), ExperimentJson.Options);
    }

    private static HeldOutPoint Point(CheckpointEvaluation evaluation) =>
        new(evaluation.Step, evaluation.HeldOutMean, evaluation.Benchmarks.Where(b => b.Suite == EvaluationSuites.HeldOut && b.Items.Count > 0)
            .ToDictionary(b => b.BenchmarkId, b => b.Items.Average(i => i.Score), StringComparer.Ordinal));
}
