using System.Text.Json.Nodes;

namespace BeneficialRL.SiloHost.Apis.OpenAi;

/// <summary>
/// OpenAI's error envelope, <c>{"error": {"message", "type", "param", "code"}}</c>, which the OpenAI SDKs and the
/// harnesses read: every error on the OpenAI-compatible routes uses it instead of a problem document.
/// </summary>
public static class OpenAiErrors
{
    /// <summary>True for the OpenAI-compatible routes: <c>/v1/*</c>, the tokenizer routes and their per-checkpoint twins.</summary>
    public static bool Applies(PathString path) =>
        path.StartsWithSegments("/v1") || path.StartsWithSegments("/checkpoints")
        || path.StartsWithSegments("/tokenize") || path.StartsWithSegments("/detokenize") || path.StartsWithSegments("/tokenizer_info");

    /// <summary>400 <c>invalid_request_error</c> naming the request field at fault.</summary>
    public static IResult Invalid(string? param, string message, string? code = null) =>
        Result(StatusCodes.Status400BadRequest, message, "invalid_request_error", param, code);

    /// <summary>404 <c>model_not_found</c>.</summary>
    public static IResult ModelNotFound(string model) =>
        Result(StatusCodes.Status404NotFound, $"The model '{model}' does not exist or you do not have access to it.", "invalid_request_error", "model", "model_not_found");

    /// <summary>The envelope as a result.</summary>
    public static IResult Result(int status, string message, string type, string? param, string? code) =>
        Results.Content(Envelope(message, type, param, code).ToJsonString(), "application/json", statusCode: status);

    /// <summary>Writes the envelope to <paramref name="context"/>'s response.</summary>
    public static Task WriteAsync(HttpContext context, int status, string message, string type, string? param = null, string? code = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(Envelope(message, type, param, code).ToJsonString(), context.RequestAborted);
    }

    /// <summary>OpenAI's error type for a status code.</summary>
    public static string TypeOf(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "invalid_request_error",
        StatusCodes.Status403Forbidden => "permission_error",
        StatusCodes.Status404NotFound => "invalid_request_error",
        StatusCodes.Status429TooManyRequests => "requests",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };

    private static JsonObject Envelope(string message, string type, string? param, string? code) => new()
    {
        ["error"] = new JsonObject
        {
            ["message"] = message,
            ["type"] = type,
            ["param"] = param,
            ["code"] = code,
        },
    };
}
