using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using BeneficialRL.Contracts.Tenancy;
using BeneficialRL.Grains.Workers;
using BeneficialRL.SiloHost.Apis.OpenAi;
using BeneficialRL.SiloHost.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BeneficialRL.SiloHost.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;api key&gt;</c>: the key is hashed and looked up in its
/// grain (keys are stored only as hashes). The configured bootstrap key is accepted when its grain holds no record
/// (a rotation stores it there as revoked). <see cref="ApiKeyGuard"/> answers repeated refusals from memory and
/// throttles addresses that fail too often, so unknown keys do not cost a grain call each.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IGrainFactory grains,
    IOptions<AuthOptions> auth,
    ApiKeyGuard guard) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "ApiKey";

    // Set when the caller's address is throttled, so the challenge answers 429 rather than 401.
    private const string ThrottledItem = "BeneficialRL.Auth.ThrottledFor";

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        var address = Context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var secret = ReadSecret(header) ?? "";
        var hash = secret.Length > 0 ? ApiKeySecrets.Hash(secret) : null;
        // Before any lookup, so a flood of bad keys stops reaching grains; a key that passed recently is exempt.
        if ((hash is null || !guard.PassedRecently(hash)) && guard.IsThrottled(address, out var retryAfter))
        {
            Context.Items[ThrottledItem] = retryAfter;
            return AuthenticateResult.Fail("Too many failed authentications from this address.");
        }

        if (ReadSecret(header) is null) return Refuse(address, null, "malformed", "The Authorization header must be 'Bearer <api key>'.");
        if (hash is null) return Refuse(address, null, "malformed", "The bearer token is empty.");
        if (guard.RecallRefusal(hash) is { } recalled)
        {
            guard.CountFailure(address, "cached");
            return AuthenticateResult.Fail(recalled);
        }

        guard.CountLookup();
        ApiKeyRecord? record;
        try
        {
            record = await grains.GetGrain<IApiKeyGrain>(hash).GetAsync();
        }
        catch (Exception e) when (TransientFailures.IsTransient(e) && guard.RecallAcceptance(hash) is { } known)
        {
            // The key's grain is unreachable for now (its silo just died, storage is down): the last successful check
            // stands, for at most Auth:KeyOutageTolerance; revocations apply again as soon as the grain answers.
            return Success(hash, known);
        }

        if (record is null)
        {
            var bootstrap = auth.Value.BootstrapAdminKey;
            if (!string.IsNullOrEmpty(bootstrap)
                && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(ApiKeySecrets.Hash(bootstrap))))
            {
                return Success(hash, new AcceptedKey(auth.Value.BootstrapTenant, ApiKeySecrets.KeyIdFromHash(hash), ApiScopes.All));
            }

            return Refuse(address, hash, "unknown", "The API key is not known.");
        }

        if (record.RevokedAt is not null) return Refuse(address, hash, "revoked", $"The API key {record.KeyId} was revoked.");
        return Success(hash, new AcceptedKey(record.Tenant, record.KeyId, record.Scopes));
    }

    /// <summary>Where the silo host maps the Orleans dashboard (operators only).</summary>
    public const string OrleansDashboardPath = "/orleans-dashboard";

    /// <summary>
    /// The key in <c>Bearer &lt;key&gt;</c>, or the password of <c>Basic base64(user:key)</c> (how a browser sends it when
    /// prompted); <see langword="null"/> for any other scheme or a malformed Basic value.
    /// </summary>
    internal static string? ReadSecret(string header)
    {
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        Span<byte> decoded = stackalloc byte[512];
        if (!Convert.TryFromBase64String(header["Basic ".Length..].Trim(), decoded, out var length)) return null;
        var credentials = Encoding.UTF8.GetString(decoded[..length]);
        var colon = credentials.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : credentials[(colon + 1)..];
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (OpenAiErrors.Applies(Request.Path))
        {
            // The OpenAI SDKs and harnesses read OpenAI's error envelope, not problem documents.
            if (Context.Items[ThrottledItem] is TimeSpan wait)
            {
                Response.Headers.RetryAfter = ApiProblems.RetryAfterSeconds(wait);
                await OpenAiErrors.WriteAsync(Context, StatusCodes.Status429TooManyRequests,
                    "Too many failed authentications from this address; retry after the Retry-After delay.", "requests", null, "rate_limit_exceeded");
                return;
            }

            Response.Headers.WWWAuthenticate = "Bearer";
            await OpenAiErrors.WriteAsync(Context, StatusCodes.Status401Unauthorized,
                (await Context.AuthenticateAsync(SchemeName)).Failure?.Message ?? "Send 'Authorization: Bearer <api key>'.", "invalid_request_error", null, "invalid_api_key");
            return;
        }

        if (Context.Items[ThrottledItem] is TimeSpan throttledFor)
        {
            await ApiProblems.TooManyRequests(Response, "failed-authentications", throttledFor,
                "Too many failed authentications from this address; no key is checked until the Retry-After delay has passed.").ExecuteAsync(Context);
            return;
        }

        var failure = (await Context.AuthenticateAsync(SchemeName)).Failure?.Message;
        // Browsers prompt for Basic credentials (the key as password) on the Orleans dashboard, whose page cannot send a bearer key.
        Response.Headers.WWWAuthenticate = Request.Path.StartsWithSegments(OrleansDashboardPath) ? new Microsoft.Extensions.Primitives.StringValues(new[] { "Bearer", $"Basic realm=\"{OrleansDashboardPath}\", charset=\"UTF-8\"" }) : "Bearer";
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized",
            failure ?? "Send 'Authorization: Bearer <api key>'.");
    }

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        OpenAiErrors.Applies(Request.Path)
            ? OpenAiErrors.WriteAsync(Context, StatusCodes.Status403Forbidden, "The API key does not have the scope this operation needs.", "permission_error")
            : WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "The API key does not have the scope this operation needs.");

    private AuthenticateResult Refuse(string address, string? keyHash, string reason, string message)
    {
        guard.CountFailure(address, reason);
        if (keyHash is not null) guard.RememberRefusal(keyHash, message);
        return AuthenticateResult.Fail(message);
    }

    private AuthenticateResult Success(string keyHash, AcceptedKey key)
    {
        guard.RememberAcceptance(keyHash, key);
        var claims = new List<Claim> { new(ApiClaims.Tenant, key.Tenant), new(ApiClaims.KeyId, key.KeyId) };
        claims.AddRange(key.Scopes.Select(s => new Claim(ApiClaims.Scope, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private Task WriteProblemAsync(int status, string title, string detail)
    {
        var problems = Context.RequestServices.GetRequiredService<IProblemDetailsService>();
        Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }
}
