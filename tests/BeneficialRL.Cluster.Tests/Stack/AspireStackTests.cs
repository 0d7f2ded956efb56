using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using BeneficialRL.AppHost.Resources;
using BeneficialRL.Client;
using BeneficialRL.Contracts.Api;
using BeneficialRL.Contracts.Experiments;
using BeneficialRL.LocalInfrastructure;

namespace BeneficialRL.Cluster.Tests.Stack;

/// <summary>
/// The AppHost's resource model started for real by Aspire's orchestrator (DCP) through
/// <see cref="DistributedApplicationTestingBuilder"/>: Azurite in memory and one silo with both roles, on ports DCP picks.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AspireStackTests
{
    private static readonly TimeSpan ExperimentTimeout = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Stack_Started_ApiSiloHealthyAndServesTheOpenApiDocument()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var apiKey = LocalApiKey.Generate();
        await using var app = await StartAsync(apiKey, cancellationToken);

        using var http = app.CreateHttpClient(BeneficialRLStack.ApiSiloName, BeneficialRLStack.HttpEndpointName);
        using var ready = await http.GetAsync("/health/ready", cancellationToken);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var openApi = await http.GetAsync("/openapi/v1.json", cancellationToken);
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        using var anonymous = await http.GetAsync("/api/v1/experiments", cancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Stack_QuickExperimentThroughTheClient_Completes()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var apiKey = LocalApiKey.Generate();
        await using var app = await StartAsync(apiKey, cancellationToken);

        using var http = BeneficialRLClient.Configure(new HttpClient(), app.GetEndpoint(BeneficialRLStack.ApiSiloName, BeneficialRLStack.HttpEndpointName), apiKey);
        var client = new BeneficialRLClient(http);
        var experiment = await client.CreateExperimentAsync(new CreateExperimentRequest(Preset: "quick"), cancellationToken: cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ExperimentTimeout);
        await foreach (var _ in client.StreamExperimentEventsAsync(experiment.Id, cancellationToken: timeout.Token))
        {
            // The stream ends when the experiment reaches a terminal status.
        }

        var done = await client.GetExperimentAsync(experiment.Id, cancellationToken);
        Assert.True(done.Status == ExperimentStatus.Completed, $"experiment {done.Id} {done.Status}: {done.Error}");
    }

    private static async Task<DistributedApplication> StartAsync(string apiKey, CancellationToken cancellationToken)
    {
        var builder = DistributedApplicationTestingBuilder.Create("--DcpPublisher:WaitForResourceCleanup=true");
        builder.AddBeneficialRL(new StackSettings
        {
            Trainers = 0,
            AzuriteEntryPoint = await AzuriteInstaller.EnsureInstalledAsync(cancellationToken: cancellationToken),
            AzuriteDataDirectory = null,
            ApiKey = apiKey,
        });
        var app = await builder.BuildAsync(cancellationToken);
        try
        {
            await app.StartAsync(cancellationToken);
            await app.ResourceNotifications.WaitForResourceHealthyAsync(BeneficialRLStack.ApiSiloName, cancellationToken);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}
