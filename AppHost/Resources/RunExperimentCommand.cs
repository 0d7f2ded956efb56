using Aspire.Hosting.ApplicationModel;
using BeneficialRL.Client;
using BeneficialRL.Contracts.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BeneficialRL.AppHost.Resources;

/// <summary>A dashboard command on the API silo that submits an experiment preset through the REST API.</summary>
public static class RunExperimentCommand
{
    /// <summary>
    /// Adds "Run the {preset} experiment" to the API silo's commands: it posts the preset with <paramref name="apiKey"/>
    /// and writes the experiment's id and URL to the silo's console log in the dashboard. Enabled while the silo is healthy.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithRunExperimentCommand(this IResourceBuilder<ProjectResource> api, string preset, string apiKey)
    {
        var endpoint = api.GetEndpoint(BeneficialRLStack.HttpEndpointName);
        return api.WithCommand(
            $"run-{preset}-experiment",
            $"Run the {preset} experiment",
            async context =>
            {
                using var http = BeneficialRLClient.Configure(new HttpClient(), new Uri(endpoint.Url.TrimEnd('/') + "/"), apiKey);
                var client = new BeneficialRLClient(http);
                try
                {
                    var experiment = await client.CreateExperimentAsync(new CreateExperimentRequest(Preset: preset), Guid.NewGuid().ToString("N"), context.CancellationToken).ConfigureAwait(false);
                    var logger = context.Services.GetRequiredService<ResourceLoggerService>().GetLogger(api.Resource);
                    logger.LogInformation("Experiment {ExperimentId} ({Preset}) submitted from the dashboard: {Url}", experiment.Id, preset, client.AddressOf($"api/v1/experiments/{experiment.Id}"));
                    return CommandResults.Success();
                }
                catch (BeneficialRLApiException exception)
                {
                    return CommandResults.Failure($"{(int)exception.Status} {exception.Title}: {exception.Detail}");
                }
                catch (HttpRequestException exception)
                {
                    return CommandResults.Failure(exception.Message);
                }
            },
            new CommandOptions
            {
                Description = $"Posts the '{preset}' preset to POST /api/v1/experiments with the local API key; its progress is in this silo's logs and the API.",
                IconName = "Play",
                UpdateState = context => context.ResourceSnapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                    ? ResourceCommandState.Enabled
                    : ResourceCommandState.Disabled,
            });
    }
}
