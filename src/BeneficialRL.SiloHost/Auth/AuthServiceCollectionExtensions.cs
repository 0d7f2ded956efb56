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

        return services;
    }
}
