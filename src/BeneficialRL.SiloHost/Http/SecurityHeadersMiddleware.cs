namespace BeneficialRL.SiloHost.Http;

/// <summary>
/// Headers every response carries, whatever produced it (endpoint, problem details, status pages, health):
/// <c>X-Content-Type-Options: nosniff</c> so a browser never guesses a type (a JSONL or text upload read back as
/// HTML), and on HTML responses (report pages) a <c>Content-Security-Policy</c> that lets the page show its own
/// inline styles and embedded plots but run no script, load nothing from elsewhere and not be framed. The dashboard's
/// page (<c>/</c>) is the one HTML response that runs script: its own modules only, from this origin, with no inline
/// script or style, talking only to this origin.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    /// <summary>The policy of HTML responses: reports are static pages with inline CSS and data-URI images.</summary>
    public const string HtmlContentSecurityPolicy =
        "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox";

    /// <summary>
    /// The policy of the dashboard's page: everything from this origin only, nothing inline (uPlot styles its elements
    /// through the CSSOM, which <c>style-src</c> does not govern), data links as blob: downloads, no framing.
    /// </summary>
    public const string DashboardContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Runs the middleware.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var response = (HttpResponse)state;
            response.Headers.XContentTypeOptions = "nosniff";
            if (response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
                response.Headers.ContentSecurityPolicy = IsDashboardPage(response.HttpContext.Request.Path) ? DashboardContentSecurityPolicy : HtmlContentSecurityPolicy;
            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    }

    private static bool IsDashboardPage(PathString path) =>
        path == "/" || path.StartsWithSegments(Dashboard.DashboardEndpoints.AssetsPath, StringComparison.Ordinal);
}
