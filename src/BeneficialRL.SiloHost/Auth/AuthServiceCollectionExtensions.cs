using BeneficialRL.Contracts.Tenancy;
using Microsoft.AspNetCore.Authentication;

namespace BeneficialRL.SiloHost.Auth;

/// <summary>Registers API-key authentication and one authorization policy per scope.</summary>
public static class AuthServiceCollectionExtensions
{
    /// <summary>Adds the <c>ApiKey</c> scheme (its <c>Auth</c> settings are bound by <c>AddSiloSettings</c>) and the <c>read</c>, <c>write</c> and <c>admin</c> policies.</summary>
    public static IServiceCollection AddApiKeyAuth(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyGuard>();
        services.AddHostedService<BootstrapKeyAnnouncement>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        var authorization = services.AddAuthorizationBuilder();
        foreach (var scope in ApiScopes.All)
        {
            authorization.AddPolicy(scope, policy => policy
                .RequireAuthenticatedUser()
                .RequireAssertion(context => ApiScopes.Satisfies(context.User.FindAll(ApiClaims.Scope).Select(c => c.Value), scope)));
        }

        // The Orleans dashboard shows every tenant's grains and their state: only admins of the operator tenant.
        authorization.AddPolicy(OperatorPolicy, policy => policy
            .RequireAuthenticatedUser()
            .RequireAssertion(context =>
                ApiScopes.Satisfies(context.User.FindAll(ApiClaims.Scope).Select(c => c.Value), ApiScopes.Admin)
                && context.User.FindFirst(ApiClaims.Tenant)?.Value is { } tenant
                && context.Resource is HttpContext http
                && tenant == http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthOptions>>().Value.BootstrapTenant));

        return services;
    }

    /// <summary>Policy of operator surfaces: the <c>admin</c> scope of the operator tenant (<c>Auth:BootstrapTenant</c>).</summary>
    public const string OperatorPolicy = "operator";
}
