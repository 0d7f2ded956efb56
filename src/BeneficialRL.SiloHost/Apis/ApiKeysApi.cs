using BeneficialRL.Contracts.Api;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.Tenancy;
using BeneficialRL.SiloHost.Auth;
using BeneficialRL.SiloHost.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace BeneficialRL.SiloHost.Apis;

/// <summary>
/// API keys (admin scope): create, list, revoke, and rotate the operator's bootstrap key. Operator-tenant admins may
/// manage other tenants' keys. Responses that carry a secret are marked <c>Cache-Control: no-store</c>.
/// </summary>
public static class ApiKeysApi
{
    /// <summary>Maps the routes under <c>/api/v1/api-keys</c>.</summary>
    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/api-keys").WithTags("API keys").RequireAuthorization("admin");
        api.MapPost("/", CreateAsync).WithName("CreateApiKey").WithSummary("Create a key; its secret is returned only in this response");
        api.MapGet("/", ListAsync).WithName("ListApiKeys").WithSummary("List a tenant's keys (never their secrets)");
        api.MapDelete("/{keyId}", RevokeAsync).WithName("RevokeApiKey").WithSummary("Revoke a key; it stops authenticating at once");
        api.MapPost("/bootstrap/rotate", RotateBootstrapAsync).WithName("RotateBootstrapKey")
            .WithSummary("Issue a new operator key with every scope and revoke the bootstrap key it replaces (the configured one included); operator tenant only");
        return routes;
    }

    /// <summary>A rotated bootstrap key: the new key with its secret, and the ids of the keys the rotation revoked.</summary>
    public sealed record RotatedBootstrapKeyResource(string KeyId, string Tenant, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, string Secret, IReadOnlyList<string> RevokedKeyIds);

    private static async Task<Results<Created<CreatedApiKeyResource>, ProblemHttpResult>> CreateAsync(
        HttpContext http, IGrainFactory grains, IOptions<AuthOptions> auth, ApiKeyGuard guard, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateApiKeyRequest>(http.Request, ct);
        if (problem is not null) return problem;
        if (TextRules.Name("$.name", body!.Name) is { } invalidName) return invalidName;
        if (body.Scopes.Count == 0) return ApiProblems.InvalidField("$.scopes", $"Give at least one scope of: {string.Join(", ", ApiScopes.All)}.");
        for (var i = 0; i < body.Scopes.Count; i++)
        {
            if (!ApiScopes.All.Contains(body.Scopes[i])) return ApiProblems.InvalidField($"$.scopes[{i}]", $"Unknown scope '{body.Scopes[i]}'; expected one of: {string.Join(", ", ApiScopes.All)}.");
        }

        var (tenant, tenantProblem) = ResolveTenant(http, auth.Value, body.Tenant);
        if (tenantProblem is not null) return tenantProblem;
        var created = await grains.GetGrain<ITenantKeysGrain>(tenant!).CreateKeyAsync(body.Name.Trim(), body.Scopes);
        var r = created.Record;
        guard.Forget(r.SecretHash);
        // The only response that shows the secret: no cache (browser, proxy) may keep a copy.
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/v1/api-keys/{r.KeyId}", new CreatedApiKeyResource(r.KeyId, r.Tenant, r.Name, r.Scopes, r.CreatedAt, created.Secret));
    }

    private static async Task<Results<Ok<IReadOnlyList<ApiKeyResource>>, ProblemHttpResult>> ListAsync(
        [FromQuery] string? tenant, HttpContext http, IGrainFactory grains, IOptions<AuthOptions> auth)
    {
        var (resolved, problem) = ResolveTenant(http, auth.Value, tenant);
        if (problem is not null) return problem;
        var keys = await grains.GetGrain<ITenantKeysGrain>(resolved!).ListAsync();
        return TypedResults.Ok<IReadOnlyList<ApiKeyResource>>(keys.Select(ToResource).ToList());
    }

    private static async Task<Results<Ok<ApiKeyResource>, ProblemHttpResult>> RevokeAsync(
        string keyId, [FromQuery] string? tenant, HttpContext http, IGrainFactory grains, IOptions<AuthOptions> auth)
    {
        var (resolved, problem) = ResolveTenant(http, auth.Value, tenant);
        if (problem is not null) return problem;
        var revoked = await grains.GetGrain<ITenantKeysGrain>(resolved!).RevokeAsync(keyId);
        return revoked is null ? ApiProblems.NotFound("API key", keyId) : TypedResults.Ok(ToResource(revoked));
    }

    private static async Task<Results<Ok<RotatedBootstrapKeyResource>, ProblemHttpResult>> RotateBootstrapAsync(
        HttpContext http, IGrainFactory grains, IOptions<AuthOptions> auth, ApiKeyGuard guard)
    {
        var options = auth.Value;
        if (http.User.TenantOf() != options.BootstrapTenant)
        {
            return TypedResults.Problem("Only admins of the operator tenant may rotate its bootstrap key.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        }

        var configuredHash = string.IsNullOrEmpty(options.BootstrapAdminKey) ? null : ApiKeySecrets.Hash(options.BootstrapAdminKey);
        var rotated = await grains.GetGrain<IBootstrapKeyGrain>(options.BootstrapTenant).RotateAsync(configuredHash);
        var r = rotated.Created.Record;
        guard.Forget(r.SecretHash);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new RotatedBootstrapKeyResource(r.KeyId, r.Tenant, r.Name, r.Scopes, r.CreatedAt, rotated.Created.Secret, rotated.RevokedKeyIds));
    }

    /// <summary>The tenant whose keys are managed: the caller's own unless an operator admin names another.</summary>
    private static (string? Tenant, ProblemHttpResult? Problem) ResolveTenant(HttpContext http, AuthOptions auth, string? requested)
    {
        var own = http.User.TenantOf();
        if (requested is null || requested == own) return (own, null);
        if (!ResourceKey.IsValidTenant(requested)) return (null, ApiProblems.InvalidField("tenant", "A tenant id is a lowercase slug: letters, digits and '-', at most 40 characters."));
        if (own != auth.BootstrapTenant)
        {
            return (null, TypedResults.Problem("Only admins of the operator tenant may manage another tenant's keys.", statusCode: StatusCodes.Status403Forbidden,
                title: "Forbidden", extensions: new Dictionary<string, object?> { ["field"] = "tenant" }));
        }

        return (requested, null);
    }

    private static ApiKeyResource ToResource(ApiKeyRecord r) => new(r.KeyId, r.Tenant, r.Name, r.Scopes, r.CreatedAt, r.RevokedAt);
}
