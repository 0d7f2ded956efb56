using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BeneficialRL.Contracts.Inference;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Scenarios.Grading.OpenAi;
using BeneficialRL.SiloHost.Auth;
using BeneficialRL.SiloHost.Http;
using BeneficialRL.SiloHost.Limits;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BeneficialRL.SiloHost.Apis;

/// <summary>
/// OpenAI grader JSON checked and dry-run, after OpenAI's <c>/fine_tuning/alpha/graders/validate</c> and <c>/run</c>:
/// a grader that cannot run is a 400 naming its JSON path; a run answers OpenAI's run response (reward, per-grader
/// scores, the error flags). Model graders name a checkpoint of the tenant and run through the inference grains of
/// the OpenAI-compatible routes. Nothing is stored.
/// </summary>
public static class GradersApi
{
    /// <summary>Maps the routes under <c>/api/v1/graders</c>.</summary>
    public static IEndpointRouteBuilder MapGradersApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/graders").WithTags("Graders");
        api.MapPost("/validate", ValidateAsync).WithName("ValidateGrader").WithSummary("Check an OpenAI grader (JSON paths of every error)").RequireAuthorization("read");
        api.MapPost("/run", RunAsync).WithName("RunGrader").WithSummary("Dry-run an OpenAI grader on one item and model sample (OpenAI's run response)").RequireAuthorization("read");

        // OpenAI's own paths, so its SDKs (client.fine_tuning.alpha.graders) work against this service's /v1 base URL; errors in OpenAI's envelope.
        var openAi = routes.MapGroup("/v1/fine_tuning/alpha/graders").WithTags("OpenAI-compatible");
        openAi.MapPost("/validate", OpenAiValidateAsync).WithSummary("OpenAI's grader validation route (body and answer in OpenAI's shapes)").RequireAuthorization("read");
        openAi.MapPost("/run", OpenAiRunAsync).WithSummary("OpenAI's grader run route (body and answer in OpenAI's shapes)").RequireAuthorization("read");
        return routes;
    }

    /// <summary>Body of <c>/validate</c>.</summary>
    /// <param name="Grader">The grader, in OpenAI's JSON.</param>
    public sealed record ValidateGraderRequest(JsonElement Grader);

    /// <summary>Body of <c>/run</c>.</summary>
    /// <param name="Grader">The grader, in OpenAI's JSON.</param>
    /// <param name="ModelSample">The sample graded (<c>{{sample.output_text}}</c>; <c>{{sample.output_json}}</c> when it is JSON).</param>
    /// <param name="Item">The dataset item (<c>{{item.*}}</c>).</param>
    public sealed record RunGraderRequest(JsonElement Grader, [property: JsonPropertyName("model_sample")] string ModelSample, JsonElement? Item = null);

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> ValidateAsync(HttpContext http, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var (answer, problem) = await ValidateCoreAsync(http, services, ct);
        return problem is not null ? problem : TypedResults.Ok(answer!);
    }

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> RunAsync(HttpContext http, [AsParameters] ApiServices services, InferenceAdmission admission, CancellationToken ct)
    {
        var (answer, problem) = await RunCoreAsync(http, services, admission, ct);
        return problem is not null ? problem : TypedResults.Ok(answer!);
    }

    private static async Task<IResult> OpenAiValidateAsync(HttpContext http, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var (answer, problem) = await ValidateCoreAsync(http, services, ct);
        return problem is not null ? InOpenAiEnvelope(problem) : Results.Content(new JsonObject { ["grader"] = answer!["grader"]!.DeepClone() }.ToJsonString(), "application/json");
    }

    private static async Task<IResult> OpenAiRunAsync(HttpContext http, [AsParameters] ApiServices services, InferenceAdmission admission, CancellationToken ct)
    {
        var (answer, problem) = await RunCoreAsync(http, services, admission, ct);
        return problem is not null ? InOpenAiEnvelope(problem) : Results.Content(answer!.ToJsonString(), "application/json");
    }

    /// <summary>A problem document as OpenAI's error envelope: the problem's <c>field</c> becomes <c>param</c>.</summary>
    private static IResult InOpenAiEnvelope(ProblemHttpResult problem)
    {
        var details = problem.ProblemDetails;
        var status = details.Status ?? StatusCodes.Status400BadRequest;
        var param = details.Extensions.TryGetValue("field", out var field) ? field?.ToString() : null;
        return OpenAi.OpenAiErrors.Result(status, details.Detail ?? details.Title ?? "Invalid request.", OpenAi.OpenAiErrors.TypeOf(status), param,
            status == StatusCodes.Status429TooManyRequests ? "rate_limit_exceeded" : null);
    }

    private static async Task<(JsonObject? Answer, ProblemHttpResult? Problem)> ValidateCoreAsync(HttpContext http, ApiServices services, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<ValidateGraderRequest>(http.Request, ct);
        if (problem is not null) return (null, problem);
        var (grader, invalid) = await ParseAsync(body!.Grader, http.User.TenantOf(), services);
        if (invalid is not null) return (null, invalid);
        return (new JsonObject { ["valid"] = true, ["type"] = grader!.Type, ["grader"] = JsonNode.Parse(body.Grader.GetRawText()) }, null);
    }

    private static async Task<(JsonObject? Answer, ProblemHttpResult? Problem)> RunCoreAsync(HttpContext http, ApiServices services, InferenceAdmission admission, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<RunGraderRequest>(http.Request, ct);
        if (problem is not null) return (null, problem);
        var tenant = http.User.TenantOf();
        var (grader, invalid) = await ParseAsync(body!.Grader, tenant, services);
        if (invalid is not null) return (null, invalid);
        if (body.Item is { ValueKind: not JsonValueKind.Object and not JsonValueKind.Null })
            return (null, ApiProblems.InvalidField("$.item", "'item' is a JSON object (the dataset row the {{item.*}} templates read)."));

        using var slot = grader!.NeedsModel ? admission.TryEnter(tenant) : null;
        if (grader.NeedsModel && slot is null)
            return (null, ApiProblems.TooManyRequests(http.Response, "inference", TimeSpan.FromSeconds(1), $"Tenant '{tenant}' already has {admission.Limit} inference requests running, the most allowed."));
        var item = body.Item is { ValueKind: JsonValueKind.Object } i ? i : (JsonElement?)null;
        var clock = Stopwatch.StartNew();
        var result = await OpenAiGraderRunner.RunAsync(grader, new GraderContext(item, body.ModelSample), new InferenceGraderModels(services.Grains, tenant), ct);
        return (Response(grader, result, clock.Elapsed.TotalSeconds), null);
    }

    /// <summary>The grader in <paramref name="json"/>, or the 400 naming every error (a model that is not a servable checkpoint of the tenant included).</summary>
    private static async Task<(OpenAiGrader? Grader, ProblemHttpResult? Problem)> ParseAsync(JsonElement json, string tenant, ApiServices services)
    {
        var (grader, errors) = OpenAiGraderParser.Parse(json, "$.grader");
        if (grader is null) return (null, ApiProblems.InvalidFields([.. errors.Select(e => (e.Path, e.Message))]));
        var missing = new List<(string Field, string Message)>();
        foreach (var (path, model) in grader.Models("$.grader"))
        {
            var (verdict, reason) = await EvaluableCheckpoints.CheckAsync(services.Grains, tenant, model, "run as a grader model");
            if (verdict == EvaluableCheckpoints.Verdict.Absent)
                missing.Add((path, $"There is no checkpoint '{model}' in this tenant; a model grader's 'model' is the id of a checkpoint (see GET /v1/models)."));
            else if (verdict == EvaluableCheckpoints.Verdict.WeightsOnly)
                missing.Add((path, reason!));
        }

        return missing.Count > 0 ? (null, ApiProblems.InvalidFields(missing)) : (grader, null);
    }

    /// <summary>OpenAI's run response: reward, metadata (name, type, errors, execution_time, scores, token_usage, sampled_model_name), sub_rewards.</summary>
    private static JsonObject Response(OpenAiGrader grader, GraderRunResult result, double seconds)
    {
        var errors = result.Errors;
        JsonObject Scores() => new(result.Scores.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value)));
        return new JsonObject
        {
            ["reward"] = result.Reward,
            ["metadata"] = new JsonObject
            {
                ["name"] = grader.Name,
                ["type"] = grader.Type,
                ["errors"] = new JsonObject
                {
                    ["formula_parse_error"] = errors.FormulaParseError,
                    ["sample_parse_error"] = errors.SampleParseError,
                    ["truncated_observation_error"] = false,
                    ["unresponsive_reward_error"] = false,
                    ["invalid_variable_error"] = errors.InvalidVariableError,
                    ["other_error"] = errors.OtherError,
                    ["python_grader_server_error"] = false,
                    ["python_grader_server_error_type"] = null,
                    ["python_grader_runtime_error"] = false,
                    ["python_grader_runtime_error_details"] = null,
                    ["model_grader_server_error"] = errors.ModelGraderServerError,
                    ["model_grader_refusal_error"] = false,
                    ["model_grader_parse_error"] = errors.ModelGraderParseError,
                    ["model_grader_server_error_details"] = errors.ModelGraderServerErrorDetails,
                },
                ["execution_time"] = seconds,
                ["scores"] = Scores(),
                ["token_usage"] = result.TokenUsage,
                ["sampled_model_name"] = result.SampledModelName,
                // Not in OpenAI's response: what each failing grader did wrong, and what each grader model answered.
                ["error_messages"] = new JsonObject(errors.Messages.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))),
                ["model_outputs"] = new JsonObject(result.ModelOutputs.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))),
            },
            ["sub_rewards"] = Scores(),
            ["model_grader_token_usage_per_model"] = new JsonObject(result.TokenUsagePerModel.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))),
        };
    }

    /// <summary>Grader models are the tenant's checkpoints, run on trainer silos through the same inference grains as <c>/v1/chat/completions</c>.</summary>
    private sealed class InferenceGraderModels(IGrainFactory grains, string tenant) : IGraderModelClient
    {
        public async Task<GraderModelReply> CompleteAsync(string model, IReadOnlyList<(string Role, string Content)> messages, GraderSamplingParams? sampling, CancellationToken cancellationToken)
        {
            var job = new InferenceJob
            {
                Prompts = [new InferencePrompt { Messages = [.. messages.Select(m => new InferenceMessage(m.Role, m.Content))] }],
                MaxTokens = sampling?.MaxCompletionsTokens ?? OpenAiGraderRunner.DefaultMaxCompletionTokens,
                Temperature = sampling?.Temperature ?? 0,
                TopP = sampling?.TopP ?? 1,
                Seed = sampling?.Seed,
            };
            InferenceOutcome outcome;
            try
            {
                outcome = await grains.GetGrain<IInferenceGrain>(ResourceKey.For(tenant, model)).CompleteAsync(job, cancellationToken);
            }
            catch (OrleansException e)
            {
                return new GraderModelReply(null, 0, $"The grader model '{model}' could not be reached (is a silo with the 'trainer' role active?): {e.Message}");
            }
            catch (TimeoutException e)
            {
                return new GraderModelReply(null, 0, $"The grader model '{model}' did not answer in time: {e.Message}");
            }

            if (outcome.Error is { } error) return new GraderModelReply(null, 0, $"{error.Code ?? "invalid_request_error"} ({error.Param}): {error.Message}");
            var prompt = outcome.Prompts[0];
            var choice = prompt.Choices[0];
            return new GraderModelReply(choice.Text, prompt.PromptTokens + choice.CompletionTokens, null);
        }
    }
}
