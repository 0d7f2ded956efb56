using BeneficialRL.SiloHost.Apis;
using BeneficialRL.SiloHost.Apis.OpenAi;
using BeneficialRL.SiloHost.Auth;
using BeneficialRL.SiloHost.Dashboard;
using BeneficialRL.SiloHost.Health;
using BeneficialRL.SiloHost.Hosting;
using BeneficialRL.SiloHost.Http;
using BeneficialRL.SiloHost.Limits;
using BeneficialRL.Learning.Devices;
using BeneficialRL.Storage.Artifacts;
using BeneficialRL.Storage.Resilience;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;

namespace BeneficialRL.SiloHost;

/// <summary>
/// Builds the one process that is both an Orleans silo and (with the <c>api</c> role) the REST API.
/// Tests build it the same way, with their own configuration, and talk to it over real HTTP.
/// </summary>
public static class SiloHostApp
{
    /// <summary>Builds the application; <paramref name="configure"/> lets tests add configuration first.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddServiceDefaults();

        // Read here as well as bound (SiloSettings), because the roles decide which services and endpoints exist.
        var silo = builder.Configuration.GetSection(SiloHostOptions.SectionName).Get<SiloHostOptions>() ?? new SiloHostOptions();
        _ = silo.ParsedRoles; // fails fast on unknown roles
        if (silo.TorchThreads > 0) LearningDevice.UseThreads(silo.TorchThreads); // before any tensor work
        var blobs = StorageAccountConnection.CreateBlobClient(builder.Configuration);
        var tables = StorageAccountConnection.CreateTableClient(builder.Configuration);

        builder.Services.AddSiloSettings();
        builder.Services.AddBlobStorageResilience();
        builder.Services.AddBlobArtifactStore(blobs);
        builder.AddBeneficialRLSilo(silo, blobs, tables);
        builder.Services.AddHealthChecks()
            .AddCheck<BlobStorageHealthCheck>("blob-storage", tags: [ServiceDefaultsExtensions.ReadyTag])
            .AddCheck<ClusterMembershipHealthCheck>("cluster-membership", tags: [ServiceDefaultsExtensions.ReadyTag]);

        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ResourceExceptionHandler>();
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
        });
        if (silo.IsApi)
        {
            // Only API silos authenticate: registering the scheme elsewhere makes ASP.NET Core add the authentication
            // middleware by itself, ahead of the exception handler, and a trainer's health probe then looked up keys.
            builder.Services.AddApiKeyAuth();
            builder.Services.AddRequestLimits();
            builder.Services.AddSingleton<InferenceAdmission>();
        }

        builder.Services.AddOpenApi();
        // Uploads are bounded by Api:MaxUploadBytes in the endpoints (with a clear 413); Kestrel's and the form reader's caps sit just above it.
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<ApiOptions>>((kestrel, api) => kestrel.Limits.MaxRequestBodySize = api.Value.MaxUploadBytes + (1 << 20));
        builder.Services.AddOptions<FormOptions>().Configure<IOptions<ApiOptions>>((form, api) => form.MultipartBodyLengthLimit = api.Value.MaxUploadBytes + (1 << 20));

        var app = builder.Build();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapDefaultEndpoints();
        if (silo.IsApi)
        {
            app.MapDashboard(); // static files ahead of authentication: the page holds no data, the API it calls does
            app.UseAuthentication();
            app.UseAuthorization();
            app.UseRateLimiter(); // after authentication: budgets are per tenant
            app.UseMiddleware<IdempotencyMiddleware>();
            app.MapOpenApi();
            app.MapScenarioSetsApi();
            app.MapCheckpointsApi();
            app.MapExperimentsApi();
            app.MapBenchmarksApi();
            app.MapBenchmarkRunsApi();
            app.MapInspectLogsApi();
            app.MapSuiteRunsApi();
            app.MapPersistenceRunsApi();
            app.MapExperimentItemsApi();
            app.MapExperimentPresetsApi();
            app.MapExperimentSamplesApi();
            app.MapExperimentCurvesApi();
            app.MapApiKeysApi();
            app.MapClusterApi();
            app.MapOpenAiApi();
            app.MapGradersApi();
            app.MapOrleansDashboard(ApiKeyAuthenticationHandler.OrleansDashboardPath).RequireAuthorization(AuthServiceCollectionExtensions.OperatorPolicy);
        }

        return app;
    }
}
