using System.Net.Http.Headers;
using BeneficialRL.Client;
using BeneficialRL.Contracts.Api;
using BeneficialRL.LocalInfrastructure;
using BeneficialRL.SiloHost;
using BeneficialRL.Storage.Artifacts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BeneficialRL.Api.Tests.Infrastructure;

/// <summary>
/// One real silo host (Orleans silo + REST API) on a free loopback port, backed by a real Azurite,
/// shared by the API tests. Tests isolate themselves by working in a fresh tenant each.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    /// <summary>The bootstrap admin key of the operator tenant.</summary>
    public const string OperatorKey = "brl_test-operator-key";

    /// <summary>Upload limit configured for the tests, small so the 413 path is cheap to reach.</summary>
    public const long MaxUploadBytes = 2 << 20;

    private AzuriteServer? _azurite;
    private WebApplication? _app;

    /// <summary>The API's base address.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The silo's grain factory, for driving lifecycles the way a trainer worker would.</summary>
    public IGrainFactory Grains => _app!.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The host's services (silo and API share them), for reading what a silo-side service holds.</summary>
    public IServiceProvider Services => _app!.Services;

    /// <summary>The artifact store the API writes to, for checking what was (not) stored.</summary>
    public IArtifactStore Artifacts => _app!.Services.GetRequiredService<IArtifactStore>();

    /// <summary>The Azurite the silo stores in, for tests that start a second host.</summary>
    public string AzuriteConnectionString => _azurite!.ConnectionString;

    /// <summary>The silo's name.</summary>
    public string SiloName { get; } = $"api-test-{Guid.NewGuid():N}"[..20];

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        _azurite = await AzuriteServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var port = FreePorts.Next();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        _app = SiloHostApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:blobs"] = _azurite.ConnectionString,
                ["Auth:BootstrapAdminKey"] = OperatorKey,
                ["Auth:BootstrapTenant"] = "operator",
                ["Silo:Name"] = SiloName,
                ["Silo:SiloPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Silo:GatewayPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Orleans:ClusterId"] = $"api-tests-{Guid.NewGuid():N}",
                ["Api:MaxUploadBytes"] = MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Api:EventPollInterval"] = "00:00:00.050",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            builder.WebHost.UseUrls(BaseAddress.ToString());
        });
        await _app.StartAsync(TestContext.Current.CancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }

        if (_azurite is not null) await _azurite.DisposeAsync();
    }

    /// <summary>A client that sends <paramref name="key"/> as its bearer token (none when null).</summary>
    public HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Creates a key with <paramref name="scopes"/> in <paramref name="tenant"/> (a fresh tenant when null) through the API.</summary>
    public async Task<(string Tenant, string Key, string KeyId)> CreateKeyAsync(string? tenant = null, params string[] scopes)
    {
        tenant ??= $"t-{Guid.NewGuid():N}"[..20];
        using var operatorClient = Client(OperatorKey);
        var created = await new BeneficialRLClient(operatorClient).CreateApiKeyAsync(
            new CreateApiKeyRequest("test key", scopes.Length == 0 ? ["admin"] : scopes, tenant), TestContext.Current.CancellationToken);
        return (tenant, created.Secret, created.KeyId);
    }

    /// <summary>A client for a fresh tenant with every scope.</summary>
    public async Task<HttpClient> NewTenantClientAsync() => Client((await CreateKeyAsync()).Key);
}

/// <summary>The collection sharing one <see cref="ApiFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    /// <summary>Collection name.</summary>
    public const string Name = "api";
}
