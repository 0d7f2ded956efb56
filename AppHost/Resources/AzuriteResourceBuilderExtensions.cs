using Aspire.Hosting.ApplicationModel;
using BeneficialRL.LocalInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BeneficialRL.AppHost.Resources;

/// <summary>Declares <see cref="AzuriteResource"/>.</summary>
public static class AzuriteResourceBuilderExtensions
{
    /// <summary>
    /// Adds Azurite from <paramref name="entryPoint"/> (the pinned npm install, see <see cref="AzuriteInstaller"/>), with
    /// its data in <paramref name="dataDirectory"/>, or in memory when <see langword="null"/>. Healthy once its blob and
    /// table services accept connections.
    /// </summary>
    public static IResourceBuilder<AzuriteResource> AddAzurite(this IDistributedApplicationBuilder builder, string name, string entryPoint, string? dataDirectory)
    {
        var workingDirectory = dataDirectory ?? Path.GetTempPath();
        if (dataDirectory is not null)
        {
            Directory.CreateDirectory(dataDirectory);
        }

        var azurite = new AzuriteResource(name, "node", workingDirectory);
        var healthCheckKey = $"{name}-services";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey,
            _ => new AzuriteServicesHealthCheck(azurite),
            failureStatus: HealthStatus.Unhealthy,
            tags: null));

        return builder.AddResource(azurite)
            .WithEndpoint(name: AzuriteResource.BlobEndpointName, scheme: "http")
            .WithEndpoint(name: AzuriteResource.QueueEndpointName, scheme: "http")
            .WithEndpoint(name: AzuriteResource.TableEndpointName, scheme: "http")
            .WithArgs(context =>
            {
                context.Args.Add(entryPoint);
                context.Args.Add("--blobHost");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--blobPort");
                context.Args.Add(azurite.BlobEndpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("--queueHost");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--queuePort");
                context.Args.Add(azurite.QueueEndpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("--tableHost");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--tablePort");
                context.Args.Add(azurite.TableEndpoint.Property(EndpointProperty.TargetPort));
                foreach (var argument in AzuriteServer.ServiceArguments(dataDirectory))
                {
                    context.Args.Add(argument);
                }
            })
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>
    /// Healthy when Azurite's blob and table services answer HTTP (with any status: an anonymous request is refused,
    /// but only a listening service answers through DCP's proxy, which accepts connections either way).
    /// </summary>
    private sealed class AzuriteServicesHealthCheck(AzuriteResource azurite) : IHealthCheck
    {
        private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            foreach (var endpoint in new[] { azurite.BlobEndpoint, azurite.TableEndpoint })
            {
                if (!endpoint.IsAllocated)
                {
                    return HealthCheckResult.Unhealthy($"the {endpoint.EndpointName} endpoint is not allocated yet");
                }

                try
                {
                    using var response = await Http.GetAsync(new Uri($"{endpoint.Url}/{AzuriteServer.AccountName}"), cancellationToken).ConfigureAwait(false);
                }
                catch (HttpRequestException exception)
                {
                    return HealthCheckResult.Unhealthy($"the {endpoint.EndpointName} service at {endpoint.Url} does not answer", exception);
                }
            }

            return HealthCheckResult.Healthy();
        }
    }
}
