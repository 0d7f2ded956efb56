using BeneficialRL.Client;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="BeneficialRLClient"/> as a typed client of <c>IHttpClientFactory</c>.</summary>
public static class BeneficialRLClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="BeneficialRLClient"/> for the API at <paramref name="baseAddress"/>, sending
    /// <paramref name="apiKey"/> as its bearer token. No retry handler is added: the client retries itself, reusing
    /// each POST's <c>Idempotency-Key</c>, and a second retry layer would multiply the tries.
    /// </summary>
    public static IHttpClientBuilder AddBeneficialRLClient(this IServiceCollection services, Uri baseAddress, string apiKey)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        return services.AddHttpClient<BeneficialRLClient>(http => BeneficialRLClient.Configure(http, baseAddress, apiKey));
    }
}
