using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using BeneficialRL.Contracts.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BeneficialRL.SiloHost.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;api key&gt;</c>: the key is hashed and looked up in its
/// grain (keys are stored only as hashes); the bootstrap key from configuration is compared in constant time.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IGrainFactory grains,
    IOptions<AuthOptions> auth) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "ApiKey";

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.Fail("The Authorization header must be 'Bearer <api key>'.");
        var secret = header["Bearer ".Length..].Trim();
        if (secret.Length == 0) return AuthenticateResult.Fail("The bearer token is empty.");

        var hash = ApiKeySecrets.Hash(secret);
        var bootstrap = auth.Value.BootstrapAdminKey;
        if (!string.IsNullOrEmpty(bootstrap)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(ApiKeySecrets.Hash(bootstrap))))
        {
            return Success(auth.Value.BootstrapTenant, ApiKeySecrets.KeyIdFromHash(hash), ApiScopes.All);
        }

        var record = await grains.GetGrain<IApiKeyGrain>(hash).GetAsync();
        if (record is null) return AuthenticateResult.Fail("The API key is not known.");
        if (record.RevokedAt is not null) return AuthenticateResult.Fail($"The API key {record.KeyId} was revoked.");
        return Success(record.Tenant, record.KeyId, record.Scopes);
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await Context.AuthenticateAsync(SchemeName)).Failure?.Message;
        Response.Headers.WWWAuthenticate = "Bearer";
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized",
            failure ?? "Send 'Authorization: Bearer <api key>'.");
    }

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "The API key does not have the scope this operation needs.");

    private AuthenticateResult Success(string tenant, string keyId, IEnumerable<string> scopes)
    {
        var claims = new List<Claim> { new(ApiClaims.Tenant, tenant), new(ApiClaims.KeyId, keyId) };
        claims.AddRange(scopes.Select(s => new Claim(ApiClaims.Scope, s)));
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
