using Microsoft.AspNetCore.Http.HttpResults;

namespace BeneficialRL.SiloHost.Http;

/// <summary>
/// RFC 7807 problem details for every error the API returns. Extensions name what is at fault:
/// <c>field</c> (a JSON path or parameter), <c>line</c> (1-based, for JSONL uploads), <c>errors</c> (several).
/// </summary>
public static class ApiProblems
{
    /// <summary>400: a field of the request is invalid.</summary>
    public static ProblemHttpResult InvalidField(string field, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request",
            extensions: new Dictionary<string, object?> { ["field"] = field });

    /// <summary>400: a line of an uploaded file is invalid; <paramref name="errors"/> lists the first ones.</summary>
    public static ProblemHttpResult InvalidLines(IReadOnlyList<(int Line, string Field, string Message)> errors, int totalErrors)
    {
        var first = errors[0];
        return TypedResults.Problem(
            $"Line {first.Line}, field '{first.Field}': {first.Message}" + (totalErrors > 1 ? $" ({totalErrors - 1} more error(s) listed in 'errors')" : string.Empty),
            statusCode: StatusCodes.Status400BadRequest,
            title: "Invalid upload: nothing was stored",
            extensions: new Dictionary<string, object?>
            {
                ["line"] = first.Line,
                ["field"] = first.Field,
                ["errorCount"] = totalErrors,
                ["errors"] = errors.Select(e => new { line = e.Line, field = e.Field, message = e.Message }).ToList(),
            });
    }

    /// <summary>400: several fields are invalid; <c>field</c> names the first, <c>errors</c> lists them all.</summary>
    public static ProblemHttpResult InvalidFields(IReadOnlyList<(string Field, string Message)> errors)
    {
        var first = errors[0];
        return TypedResults.Problem(
            $"{first.Field}: {first.Message}" + (errors.Count > 1 ? $" ({errors.Count - 1} more error(s) listed in 'errors')" : string.Empty),
            statusCode: StatusCodes.Status400BadRequest,
            title: "Invalid request",
            extensions: new Dictionary<string, object?>
            {
                ["field"] = first.Field,
                ["errorCount"] = errors.Count,
                ["errors"] = errors.Select(e => new { field = e.Field, message = e.Message }).ToList(),
            });
    }

    /// <summary>503 with <c>Retry-After</c>: no silo with the <c>trainer</c> role is active, so <paramref name="what"/> cannot be placed.</summary>
    public static ProblemHttpResult NoTrainer(HttpResponse response, string what)
    {
        response.Headers.RetryAfter = "30";
        return TypedResults.Problem($"No silo with the 'trainer' role is active, so {what} cannot be placed. Start a trainer silo and retry.",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "No trainer available");
    }

    /// <summary>
    /// 429 with <c>Retry-After</c> (whole seconds, at least 1): <paramref name="limit"/> names the budget that ran out
    /// (<c>reads</c>, <c>writes</c>, <c>event-streams</c>, <c>failed-authentications</c>).
    /// </summary>
    public static ProblemHttpResult TooManyRequests(HttpResponse response, string limit, TimeSpan retryAfter, string detail)
    {
        response.Headers.RetryAfter = RetryAfterSeconds(retryAfter);
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
            extensions: new Dictionary<string, object?> { ["limit"] = limit });
    }

    /// <summary>A <c>Retry-After</c> value: whole seconds, at least 1.</summary>
    public static string RetryAfterSeconds(TimeSpan retryAfter) =>
        Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>404: no such resource for this tenant.</summary>
    public static ProblemHttpResult NotFound(string kind, string id) =>
        TypedResults.Problem($"There is no {kind} '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    /// <summary>409: the command does not fit the resource's state.</summary>
    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    /// <summary>412: the <c>If-Match</c> revision is not current.</summary>
    public static ProblemHttpResult PreconditionFailed(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status412PreconditionFailed, title: "Precondition failed",
            extensions: new Dictionary<string, object?> { ["field"] = "If-Match" });

    /// <summary>413: the body is larger than allowed.</summary>
    public static ProblemHttpResult TooLarge(long limitBytes) =>
        TypedResults.Problem($"The request body is larger than the limit of {limitBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large");

    /// <summary>
    /// The message of an <see cref="ArgumentException"/> from a library without the <c>(Parameter 'x')</c> suffix the
    /// runtime appends: that names a .NET parameter, not anything in the request.
    /// </summary>
    public static string MessageOf(ArgumentException exception)
    {
        var suffix = exception.ParamName is { } name ? $" (Parameter '{name}')" : null;
        return suffix is not null && exception.Message.EndsWith(suffix, StringComparison.Ordinal) ? exception.Message[..^suffix.Length] : exception.Message;
    }

    /// <summary>415: the body is not of the expected media type.</summary>
    public static ProblemHttpResult UnsupportedMediaType(string expected) =>
        TypedResults.Problem($"The request body must be {expected}.", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
            extensions: new Dictionary<string, object?> { ["field"] = "Content-Type" });
}
