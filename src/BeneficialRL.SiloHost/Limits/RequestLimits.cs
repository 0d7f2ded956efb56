using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using BeneficialRL.SiloHost.Apis.OpenAi;
using BeneficialRL.SiloHost.Auth;
using BeneficialRL.SiloHost.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace BeneficialRL.SiloHost.Limits;

/// <summary>
/// Per-tenant request limits on ASP.NET Core rate limiting: a read and a write budget per tenant (fixed windows), and
/// a per-tenant cap on concurrent event streams for endpoints that opt in with <see cref="EventStreamsPolicy"/>.
/// Rejections are 429 problem documents with <c>Retry-After</c>. The middleware must run after authentication,
/// because the tenant comes from the authenticated principal.
/// </summary>
public static class RequestLimits
{
    /// <summary>The rate-limiting policy of server-sent event endpoints: at most <see cref="RateLimitOptions.EventStreamsPerTenant"/> open at once.</summary>
    public const string EventStreamsPolicy = "event-streams";

    // A stream slot frees whenever a client disconnects, so there is no window to wait for: a short hint is honest.
    private static readonly TimeSpan StreamRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>Registers the limiters over the <c>RateLimits</c> settings (bound by <c>AddSiloSettings</c>); pair with <c>app.UseRateLimiter()</c> after authorization.</summary>
    public static IServiceCollection AddRequestLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, configured) =>
        {
            var limits = configured.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => RequestPartition(context, limits));
            limiter.AddPolicy(EventStreamsPolicy, context => StreamPartition(context, limits));
            limiter.OnRejected = (rejected, _) => RejectAsync(rejected, limits);
        });
        return services;
    }

    /// <summary>True for methods that change state and so spend the write budget.</summary>
    public static bool IsWrite(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPatch(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method);

    private static RateLimitPartition<string> RequestPartition(HttpContext context, RateLimitOptions limits)
    {
        // Unauthenticated requests reach no grain here (authentication refused them, with its own per-address throttle),
        // and the anonymous endpoints (health, OpenAPI) serve no tenant data.
        if (context.User.FindFirstValue(ApiClaims.Tenant) is not { } tenant) return RateLimitPartition.GetNoLimiter(string.Empty);
        // Inference POSTs change nothing: they spend the read budget (and are capped by InferenceAdmission).
        var write = IsWrite(context.Request.Method) && !OpenAiErrors.Applies(context.Request.Path);
        var permits = write ? limits.WritesPerWindow : limits.ReadsPerWindow;
        var key = (write ? "writes/" : "reads/") + tenant;
        if (permits <= 0) return RateLimitPartition.GetNoLimiter(key);
        return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = limits.Window,
            QueueLimit = 0,
        });
    }

    private static RateLimitPartition<string> StreamPartition(HttpContext context, RateLimitOptions limits)
    {
        if (context.User.FindFirstValue(ApiClaims.Tenant) is not { } tenant || limits.EventStreamsPerTenant <= 0) return RateLimitPartition.GetNoLimiter(string.Empty);
        // The lease is held for the whole request, which for a stream lasts until the client disconnects or the stream ends.
        return RateLimitPartition.GetConcurrencyLimiter("streams/" + tenant, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = limits.EventStreamsPerTenant,
            QueueLimit = 0,
        });
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, RateLimitOptions limits)
    {
        var http = rejected.HttpContext;
        var tenant = http.User.FindFirstValue(ApiClaims.Tenant);
        if (OpenAiErrors.Applies(http.Request.Path))
        {
            var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : StreamRetryAfter;
            http.Response.Headers.RetryAfter = ApiProblems.RetryAfterSeconds(wait);
            await OpenAiErrors.WriteAsync(http, StatusCodes.Status429TooManyRequests,
                string.Create(CultureInfo.InvariantCulture, $"Tenant '{tenant}' used its budget of {limits.ReadsPerWindow} requests per {limits.Window}; retry after the Retry-After delay."),
                "requests", null, "rate_limit_exceeded");
            return;
        }

        ProblemHttpResult problem;
        // Fixed windows always say when they refill; a concurrency limiter (the stream cap) never does.
        if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            var write = IsWrite(http.Request.Method);
            var permits = write ? limits.WritesPerWindow : limits.ReadsPerWindow;
            var kind = write ? "writes" : "reads";
            problem = ApiProblems.TooManyRequests(http.Response, kind, retryAfter,
                string.Create(CultureInfo.InvariantCulture, $"Tenant '{tenant}' used its budget of {permits} {kind} per {limits.Window}; retry after the Retry-After delay."));
        }
        else
        {
            problem = ApiProblems.TooManyRequests(http.Response, "event-streams", StreamRetryAfter,
                string.Create(CultureInfo.InvariantCulture, $"Tenant '{tenant}' already holds {limits.EventStreamsPerTenant} open event streams, the most allowed; close one and retry."));
        }

        await problem.ExecuteAsync(http);
    }
}
