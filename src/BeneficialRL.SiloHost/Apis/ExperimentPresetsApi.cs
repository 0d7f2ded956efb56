using System.Text.Json;
using BeneficialRL.Experiments.Specs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BeneficialRL.SiloHost.Apis;

/// <summary>
/// The experiment presets a create request can name, each with its full definition: a client lists them instead of
/// knowing them, and can start a pasted definition from one.
/// </summary>
public static class ExperimentPresetsApi
{
    /// <summary>Maps <c>GET /api/v1/experiment-presets</c>.</summary>
    public static IEndpointRouteBuilder MapExperimentPresetsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/experiment-presets", List).WithTags("Experiments").WithName("ListExperimentPresets")
            .WithSummary("The presets POST /api/v1/experiments accepts, with their definitions").RequireAuthorization("read");
        return routes;
    }

    /// <summary>A preset: its name and the definition it stands for (the shape of <c>definition</c> in a create request).</summary>
    public sealed record ExperimentPresetResource(string Name, JsonElement Definition);

    private static Ok<IReadOnlyList<ExperimentPresetResource>> List() =>
        TypedResults.Ok<IReadOnlyList<ExperimentPresetResource>>([.. ExperimentPresets.Names.Select(name =>
            new ExperimentPresetResource(name, JsonDocument.Parse(ExperimentJson.Serialize(ExperimentPresets.Get(name))).RootElement.Clone()))]);
}
