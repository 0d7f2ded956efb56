using BeneficialRL.Contracts.Resources;
using BeneficialRL.Grains.Workers;
using Microsoft.AspNetCore.Diagnostics;
using Orleans.Runtime;

namespace BeneficialRL.SiloHost.Http;

/// <summary>
/// Turns the domain exceptions grains throw into problem details, so handlers stay straight-line.
/// Anything else stays a 500 and is logged by the framework.
/// </summary>
public sealed class ResourceExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, field) = exception switch
        {
            RevisionMismatchException => (StatusCodes.Status412PreconditionFailed, "Precondition failed", "If-Match"),
            ResourceNotFoundException => (StatusCodes.Status404NotFound, "Not found", null),
            ResourceAlreadyExistsException => (StatusCodes.Status409Conflict, "Conflict", null),
            InvalidResourceStateException => (StatusCodes.Status409Conflict, "Conflict", null),
            // The client's own request first: BadHttpRequestException is an IOException, which the next arm counts as transient.
            BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Payload too large" : "Bad request", null),
            // A silo that just died answers nothing until membership declares it dead, and storage may stay unreachable
            // through its retries (grains report that as TransientInfrastructureException): retryable outages, not bugs.
            _ when TransientFailures.IsTransient(exception) => (StatusCodes.Status503ServiceUnavailable, "Service unavailable", null),
            _ => (0, null, (string?)null),
        };
        if (status == 0) return false;

        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable) httpContext.Response.Headers.RetryAfter = "5";
        if (Apis.OpenAi.OpenAiErrors.Applies(httpContext.Request.Path))
        {
            await Apis.OpenAi.OpenAiErrors.WriteAsync(httpContext, status, DetailOf(exception, status), Apis.OpenAi.OpenAiErrors.TypeOf(status), field);
            return true;
        }

        var context = new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = DetailOf(exception, status) },
        };
        if (field is not null) context.ProblemDetails.Extensions["field"] = field;
        return await problems.TryWriteAsync(context);
    }

    /// <summary>
    /// The grains' own exceptions are written for clients; Orleans' outage messages are not (they name silos,
    /// grain interfaces and message ids), so those get plain words.
    /// </summary>
    private static string DetailOf(Exception exception, int status) =>
        status == StatusCodes.Status503ServiceUnavailable
            ? "The cluster could not answer this request in time (a silo may be restarting, or storage is briefly unreachable); retry shortly."
            : exception.Message;
}
