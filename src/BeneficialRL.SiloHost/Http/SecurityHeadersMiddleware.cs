namespace BeneficialRL.SiloHost.Http;

/// <summary>
/// Headers every response carries, whatever produced it (endpoint, problem details, status pages, health):
/// <c>X-Content-Type-Options: nosniff</c> so a browser never guesses a type (a JSONL or text upload read back as
/// HTML), and on HTML responses (report pages) a <c>Content-Security-Policy</c> that lets the page show its own
/// inline styles and embedded plots but run no script, load nothing from elsewhere and not be framed.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    /// <summary>The policy of HTML responses: reports are static pages with inline CSS and data-URI images.</summary>
    public const string HtmlContentSecurityPolicy =
        "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox";

    /// <summary>Runs the middleware.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var response = (HttpResponse)state;
            response.Headers.XContentTypeOptions = "nosniff";
            if (response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
                response.Headers.ContentSecurityPolicy = HtmlContentSecurityPolicy;
            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    }
}
