using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BeneficialRL.LocalInfrastructure;
using BeneficialRL.SiloHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace BeneficialRL.Api.Tests.Infrastructure;

/// <summary>
/// A second silo host (API role only) on the fixture's Azurite, with its own settings, so a test can lower a limit
/// without touching the shared host. Its operator tenant and bootstrap key are its own, so rotating or exhausting them
/// affects no other test.
/// </summary>
public sealed class LimitedHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LimitedHost(WebApplication app, Uri baseAddress, string operatorTenant, string operatorKey)
    {
        _app = app;
        BaseAddress = baseAddress;
        OperatorTenant = operatorTenant;
        OperatorKey = operatorKey;
    }

    /// <summary>The API's base address.</summary>
    public Uri BaseAddress { get; }

    /// <summary>This host's operator tenant.</summary>
    public string OperatorTenant { get; }

    /// <summary>This host's configured bootstrap admin key.</summary>
    public string OperatorKey { get; }

    /// <summary>The host's services, for reading what it counted.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts a host on <paramref name="fixture"/>'s Azurite with <paramref name="settings"/> added to its configuration;
    /// <paramref name="configure"/> may add more (e.g. a logging provider).
    /// </summary>
    public static async Task<LimitedHost> StartAsync(
        ApiFixture fixture, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken, Action<WebApplicationBuilder>? configure = null)
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var operatorTenant = $"ops-{suffix}";
        var operatorKey = $"brl_limits-operator-{suffix}";
        var baseAddress = new Uri($"http://127.0.0.1:{FreePorts.Next()}");
        var app = SiloHostApp.Build([], builder =>
        {
            var configuration = new Dictionary<string, string?>
            {
                ["ConnectionStrings:blobs"] = fixture.AzuriteConnectionString,
                ["Auth:BootstrapAdminKey"] = operatorKey,
                ["Auth:BootstrapTenant"] = operatorTenant,
                ["Silo:Name"] = $"limits-{suffix}",
                ["Silo:Roles"] = "api",
                ["Silo:SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
                ["Silo:GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
                ["Orleans:ClusterId"] = $"limits-{suffix}",
                ["Api:EventPollInterval"] = "00:00:00.050",
                ["Logging:LogLevel:Default"] = "Warning",
            };
            foreach (var (key, value) in settings) configuration[key] = value;
            builder.Configuration.AddInMemoryCollection(configuration);
            builder.WebHost.UseUrls(baseAddress.ToString());
            configure?.Invoke(builder);
        });
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync(); // a host refused at start (bad settings) must not leak its silo
            throw;
        }

        return new LimitedHost(app, baseAddress, operatorTenant, operatorKey);
    }

    /// <summary>A client that sends <paramref name="key"/> as its bearer token (none when null).</summary>
    public HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Creates an admin key in <paramref name="tenant"/> (a fresh tenant when null) with the operator key.</summary>
    public async Task<(string Tenant, string Key)> CreateKeyAsync(string? tenant = null)
    {
        tenant ??= $"t-{Guid.NewGuid():N}"[..20];
        using var operatorClient = Client(OperatorKey);
        var response = await operatorClient.PostAsJsonAsync("/api/v1/api-keys", new { name = "limits test", scopes = new[] { "admin" }, tenant }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return (tenant, body.GetProperty("secret").GetString()!);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
